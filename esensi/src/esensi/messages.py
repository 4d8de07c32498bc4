"""esensi's message catalogue entries (Indonesian default, English)."""

from __future__ import annotations

from rlib.i18n import Messages

MESSAGES: Messages = {
    "resource.page": {"id": "Halaman", "en": "Page"},
    "resource.account": {"id": "Akun", "en": "Account"},
    "resource.footer": {"id": "Footer", "en": "Footer"},
    "resource.genre": {"id": "Genre", "en": "Genre"},
    "resource.cfg": {"id": "Konfigurasi", "en": "Configuration"},
    "resource.author": {"id": "Penulis", "en": "Author"},
    "resource.category": {"id": "Kategori", "en": "Category"},
    "resource.tag": {"id": "Tag", "en": "Tag"},
    "resource.book": {"id": "Buku", "en": "Book"},
    "book.not_editable": {
        "id": "Buku yang sudah diajukan atau terbit tidak dapat diubah",
        "en": "A submitted or published book cannot be changed",
    },
    "book.not_submitted": {
        "id": "Hanya buku yang sedang diajukan yang dapat ditarik kembali",
        "en": "Only a submitted book can be withdrawn",
    },
    "taxonomy.cycle": {
        "id": "Induk tidak boleh berada di bawah data ini sendiri",
        "en": "The parent cannot be placed under this node itself",
    },
    "resource.mail": {"id": "Email", "en": "Email"},
    "resource.user": {"id": "Pengguna", "en": "User"},
    "notif.one_audience": {
        "id": "Pilih tepat satu penerima: daftar pengguna, satu jenis pengguna, atau semua",
        "en": "Choose exactly one audience: a list of users, one user type, or everyone",
    },
    "error.mail_not_failed": {
        "id": "Hanya email yang gagal terkirim yang dapat dikirim ulang",
        "en": "Only an email that failed can be sent again",
    },
    # chapter site: reviews, follows, reading progress (helper h)
    "resource.chapter": {"id": "Bab", "en": "Chapter"},
    "resource.review": {"id": "Ulasan", "en": "Review"},
    "follow.self": {
        "id": "Anda tidak dapat mengikuti diri sendiri",
        "en": "You cannot follow yourself",
    },
    "review.rating_required": {
        "id": "Ulasan wajib diberi nilai 1 sampai 5",
        "en": "A review needs a rating from 1 to 5",
    },
    "review.reply_rating": {
        "id": "Balasan tidak dapat diberi nilai",
        "en": "A reply cannot carry a rating",
    },
    "review.duplicate": {
        "id": "Anda sudah mengulas buku ini; ubah ulasan Anda yang ada",
        "en": "You have already reviewed this book; edit your existing review",
    },
    "review.nothing_to_change": {
        "id": "Tidak ada perubahan yang dikirim",
        "en": "Nothing to change was sent",
    },
    # book review and decisions, staff notifications (issue 16, helper d)
    "book.status_invalid": {
        "id": "Status buku tidak valid untuk aksi ini",
        "en": "The book's status does not allow this action",
    },
    "book.comment_required": {
        "id": "Komentar wajib diisi untuk penolakan atau permintaan revisi",
        "en": "A comment is required to reject a book or ask for a revision",
    },
    "book.reason_required": {
        "id": "Alasan wajib diisi",
        "en": "A reason is required",
    },
    "product.clash": {
        "id": "Slug atau SKU buku sudah dipakai produk lain",
        "en": "Another product already uses the book's slug or SKU",
    },
    "product.discontinued": {
        "id": "Produk buku ini sudah dihentikan dan tidak dapat dijual lagi",
        "en": "This book's product was discontinued and cannot be sold again",
    },
    "product.category": {
        "id": "Kategori tidak ditemukan",
        "en": "Unknown category",
    },
    "resource.notif": {"id": "Notifikasi", "en": "Notification"},
    # publish: publisher-author links and profiles (helper c)
    "resource.publisher_author": {"id": "Tautan penerbit", "en": "Publisher link"},
    "resource.publisher": {"id": "Penerbit", "en": "Publisher"},
    "publisher_author.exists": {
        "id": "Penulis ini sudah pernah diundang oleh penerbit Anda",
        "en": "Your publisher has already invited this author",
    },
    "publisher_author.not_invited": {
        "id": "Undangan ini sudah dijawab",
        "en": "This invitation has already been answered",
    },
    "dashboard.period": {
        "id": "Periode harus berakhir setelah dimulai dan paling lama 366 hari",
        "en": "The period must end after it starts and span at most 366 days",
    },
}
