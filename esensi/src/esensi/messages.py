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
    # internal catalogue and content (products, bundles, banners, landing pages, reviews)
    "resource.product": {"id": "Produk", "en": "Product"},
    "resource.bundle": {"id": "Bundel", "en": "Bundle"},
    "resource.banner": {"id": "Banner", "en": "Banner"},
    "resource.landing": {"id": "Halaman landing", "en": "Landing page"},
    "resource.landing_item": {"id": "Blok halaman landing", "en": "Landing page block"},
    "resource.review": {"id": "Ulasan", "en": "Review"},
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
}
