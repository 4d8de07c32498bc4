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
    # store pages (helper g)
    "resource.product": {"id": "Produk", "en": "Product"},
    "resource.bundle": {"id": "Paket", "en": "Bundle"},
    "resource.customer": {"id": "Profil pelanggan", "en": "Customer profile"},
}
