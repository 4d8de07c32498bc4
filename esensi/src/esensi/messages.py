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
    # chapter site: reviews, follows, progress
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
    # book review and decisions, staff notifications
    "book.status_invalid": {
        "id": "Status buku tidak valid untuk aksi ini",
        "en": "The book's status does not allow this action",
    },
    "book.comment_required": {
        "id": "Komentar wajib diisi untuk penolakan atau permintaan revisi",
        "en": "A comment is required to reject a book or ask for a revision",
    },
    "book.reason_required": {"id": "Alasan wajib diisi", "en": "A reason is required"},
    "product.clash": {
        "id": "Slug atau SKU buku sudah dipakai produk lain",
        "en": "Another product already uses the book's slug or SKU",
    },
    "product.discontinued": {
        "id": "Produk buku ini sudah dihentikan dan tidak dapat dijual lagi",
        "en": "This book's product was discontinued and cannot be sold again",
    },
    "product.category": {"id": "Kategori tidak ditemukan", "en": "Unknown category"},
    "resource.notif": {"id": "Notifikasi", "en": "Notification"},
    # publisher-author links and profiles
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
    # publish: books and chapters
    "book.published_read_only": {
        "id": (
            "Buku yang sudah terbit tidak dapat diubah; "
            "harga dan ketersediaan diatur melalui produknya"
        ),
        "en": "A published book cannot be changed; its product carries price and availability",
    },
    "chapter.book_not_chaptered": {
        "id": "Buku ini tidak terbit per bab",
        "en": "This book is not published chapter by chapter",
    },
    "chapter.number_taken": {
        "id": "Nomor bab {number} sudah dipakai di buku ini",
        "en": "Chapter number {number} is already used in this book",
    },
    "chapter.book_not_published": {
        "id": "Bab hanya dapat diterbitkan untuk buku bab yang sudah terbit",
        "en": "Chapters can be published only in a published chapter book",
    },
    "chapter.already_published": {
        "id": "Bab {number} sudah terbit",
        "en": "Chapter {number} is already published",
    },
    "chapter.duplicate_id": {
        "id": "Bab yang sama disebut lebih dari sekali",
        "en": "The same chapter is listed more than once",
    },
    "chapter.order_incomplete": {
        "id": "Urutan harus memuat setiap bab buku ini tepat sekali ({count} bab)",
        "en": "The order must list every chapter of this book exactly once ({count} chapters)",
    },
    "chapter.document_shape": {
        "id": 'Isi bab harus berupa dokumen Editor.js: {{"blocks": [...]}}',
        "en": 'Chapter content must be an Editor.js document: {{"blocks": [...]}}',
    },
    "chapter.content_too_large": {
        "id": "Isi bab terlalu besar (maksimal {mib} MiB)",
        "en": "Chapter content is too large (at most {mib} MiB)",
    },
    "chapter.block_shape": {
        "id": "Blok ke-{position} tidak valid: harus berisi type dan data",
        "en": "Block {position} is invalid: it needs a type and data",
    },
    "chapter.block_type": {
        "id": 'Blok ke-{position}: jenis "{type}" tidak didukung (pilihan: {allowed})',
        "en": 'Block {position}: type "{type}" is not supported (choose from: {allowed})',
    },
    # internal: people
    "resource.affiliate": {"id": "Afiliasi", "en": "Affiliate"},
    "resource.customer": {"id": "Pelanggan", "en": "Customer"},
    "resource.internal": {"id": "Staf", "en": "Staff member"},
    "v.login_deleted": {"id": "Akun login ini sudah dihapus", "en": "This login has been deleted"},
    "people.own_staff_profile": {
        "id": "Anda tidak dapat menghapus profil staf Anda sendiri",
        "en": "You cannot delete your own staff profile",
    },
    "v.duplicate_id": {
        "id": "Data yang sama disebut lebih dari sekali",
        "en": "The same record is named more than once",
    },
    # internal: catalogue and content
    "resource.product": {"id": "Produk", "en": "Product"},
    "resource.bundle": {"id": "Paket", "en": "Bundle"},
    "resource.banner": {"id": "Banner", "en": "Banner"},
    "resource.landing": {"id": "Halaman landing", "en": "Landing page"},
    "resource.landing_item": {"id": "Blok halaman landing", "en": "Landing page block"},
    "product.status_invalid": {
        "id": "Status produk tidak dapat diubah dari {current} ke {target}",
        "en": "The product status cannot change from {current} to {target}",
    },
    "product.publisher_not_linked": {
        "id": "Penerbit tidak terhubung aktif dengan penulis ini",
        "en": "The publisher has no active link with this author",
    },
    "bundle.duplicate": {
        "id": "Produk yang sama tidak boleh muncul dua kali dalam bundel",
        "en": "A product cannot appear twice in a bundle",
    },
    "bundle.foreign_product": {
        "id": "Produk tidak ditemukan atau bukan milik penulis bundel ini",
        "en": "The product does not exist or does not belong to this bundle's author",
    },
    "bundle.empty": {
        "id": "Bundel tanpa produk tidak dapat diterbitkan",
        "en": "A bundle without products cannot be published",
    },
    "bundle.unpublished_product": {
        "id": "Bundel hanya dapat diterbitkan jika semua produknya sudah terbit",
        "en": "A bundle can be published only when all its products are published",
    },
    # publish: products and bundles
    "product.status_locked": {
        "id": "Hanya produk yang terbit atau dijeda yang dapat diubah statusnya",
        "en": "Only a published or paused product can change its status",
    },
    "product.strike": {
        "id": "Harga coret tidak boleh lebih rendah dari harga jual",
        "en": "The strike-through price cannot be below the selling price",
    },
    "catalogue.category": {"id": "Kategori tidak ditemukan", "en": "Category not found"},
    "bundle.not_publishable": {
        "id": "Paket hanya dapat terbit bila berisi produk dan semua produknya sudah terbit",
        "en": "A bundle can be published only when it holds products and all of them are published",
    },
    "bundle.products": {
        "id": "Hanya produk Anda sendiri yang sudah terbit yang dapat masuk ke paket",
        "en": "Only your own published products can go into a bundle",
    },
    "bundle.not_inside": {
        "id": "Produk ini tidak ada di dalam paket",
        "en": "This product is not in the bundle",
    },
    # payments (issue 18)
    "payment.signature": {
        "id": "Tanda tangan notifikasi tidak valid",
        "en": "The notification signature is invalid",
    },
    "payment.amount": {
        "id": "Jumlah pembayaran tidak sesuai dengan total pesanan",
        "en": "The payment amount does not match the order total",
    },
    "payment.order": {"id": "Pesanan tidak ditemukan", "en": "Order not found"},
    "payment.gateway_down": {
        "id": "Layanan pembayaran sedang tidak dapat dihubungi, coba lagi sebentar",
        "en": "The payment service cannot be reached, try again shortly",
    },
    "payment.create_failed": {
        "id": "Pembayaran gagal dibuat",
        "en": "The payment could not be created",
    },
    "payment.order_state": {
        "id": "Status pesanan tidak memungkinkan tindakan ini",
        "en": "The order's status does not allow this action",
    },
    "payment.verify_email": {
        "id": "Verifikasi email Anda sebelum membayar",
        "en": "Verify your email before paying",
    },
    "idempotency.mismatch": {
        "id": "Idempotency-Key ini sudah dipakai untuk permintaan lain",
        "en": "This Idempotency-Key was used for another request",
    },
    "idempotency.in_progress": {
        "id": "Permintaan dengan Idempotency-Key ini masih diproses",
        "en": "A request with this Idempotency-Key is still in progress",
    },
    # commerce: cart and promo codes
    "resource.cart_line": {"id": "Item keranjang", "en": "Cart item"},
    "resource.promo_code": {"id": "Kode promo", "en": "Promo code"},
    "cart.not_for_sale": {
        "id": "Produk ini sedang tidak dijual",
        "en": "This item is not for sale",
    },
    "cart.owned": {
        "id": "Buku sudah ada di perpustakaan Anda",
        "en": "The book is already in your library",
    },
    "cart.full": {
        "id": "Keranjang berisi paling banyak 50 item",
        "en": "A cart holds at most 50 items",
    },
    "cart.empty": {"id": "Keranjang Anda masih kosong", "en": "Your cart is empty"},
    "cart.product_qty": {
        "id": "Buku hanya dapat dibeli satu kali",
        "en": "A book can be bought only once",
    },
    "cart.qty_max": {
        "id": "Jumlah paling banyak 10 per item",
        "en": "At most 10 of one item",
    },
    "cart.one_item": {
        "id": "Pilih tepat satu: produk atau paket",
        "en": "Choose exactly one: a product or a bundle",
    },
    "promo.unknown": {"id": "Kode promo tidak ditemukan", "en": "Promo code not found"},
    "promo.inactive": {"id": "Kode promo tidak aktif", "en": "The promo code is not active"},
    "promo.not_started": {
        "id": "Kode promo belum berlaku",
        "en": "The promo code is not valid yet",
    },
    "promo.ended": {
        "id": "Masa berlaku kode promo sudah berakhir",
        "en": "The promo code has expired",
    },
    "promo.exhausted": {"id": "Kode promo sudah habis", "en": "The promo code is used up"},
    "promo.customer_limit": {
        "id": "Anda sudah memakai kode promo ini",
        "en": "You have already used this promo code",
    },
    "promo.min_subtotal": {
        "id": "Kode promo berlaku untuk belanja minimal Rp{min}",
        "en": "The promo code needs a subtotal of at least Rp{min}",
    },
    "promo.scope": {
        "id": "Kode promo tidak berlaku untuk isi keranjang Anda",
        "en": "The promo code does not apply to the items in your cart",
    },
    "promo.valid_range": {
        "id": "Akhir masa berlaku harus setelah awal masa berlaku",
        "en": "The end of validity must be after its start",
    },
    # main: the customer's orders, library and downloads
    "resource.order": {"id": "Pesanan", "en": "Order"},
    "resource.download": {"id": "Tautan unduhan", "en": "Download link"},
    "resource.book_file": {"id": "Berkas buku", "en": "Book file"},
    "orders.date_range": {
        "id": "Tanggal akhir tidak boleh sebelum tanggal awal",
        "en": "The end date cannot be before the start date",
    },
    "library.chapter_not_in_book": {
        "id": "Bab ini bukan bagian dari buku tersebut",
        "en": "This chapter is not part of that book",
    },
    # money back office: ledger, payouts, orders
    "resource.withdrawal": {"id": "Penarikan", "en": "Withdrawal"},
    "withdrawal.email_unverified": {
        "id": "Verifikasi email Anda sebelum meminta penarikan",
        "en": "Verify your email address before requesting a withdrawal",
    },
    "withdrawal.pending_exists": {
        "id": "Masih ada permintaan penarikan yang menunggu diproses",
        "en": "A withdrawal request is still pending",
    },
    "withdrawal.not_pending": {
        "id": "Permintaan penarikan ini sudah diproses atau telah berubah",
        "en": "This withdrawal request was already processed or has changed",
    },
    "withdrawal.bank_missing": {
        "id": "Lengkapi data rekening bank di profil Anda terlebih dahulu",
        "en": "Complete the bank account details on your profile first",
    },
    "withdrawal.below_minimum": {
        "id": "Jumlah penarikan minimal {minimum}",
        "en": "The minimum withdrawal is {minimum}",
    },
    "withdrawal.over_balance": {
        "id": "Jumlah penarikan melebihi saldo",
        "en": "The amount exceeds the balance",
    },
    "withdrawal.reference_required": {
        "id": "Nomor referensi transfer wajib diisi",
        "en": "The transfer reference is required",
    },
    "withdrawal.note_required": {
        "id": "Alasan penolakan wajib diisi",
        "en": "The reason for the rejection is required",
    },
    "ledger.one_owner": {
        "id": "Isi tepat satu dari penerbit atau penulis",
        "en": "Give exactly one of publisher or author",
    },
    "ledger.amount_zero": {"id": "Jumlah tidak boleh nol", "en": "The amount cannot be zero"},
    "ledger.reason_required": {"id": "Alasan wajib diisi", "en": "The reason is required"},
}
