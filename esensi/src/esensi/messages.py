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
    # publish: products and bundles
    "resource.product": {"id": "Produk", "en": "Product"},
    "resource.bundle": {"id": "Paket", "en": "Bundle"},
    "product.status_locked": {
        "id": "Hanya produk yang terbit atau dijeda yang dapat diubah statusnya",
        "en": "Only a published or paused product can change its status",
    },
    "product.strike": {
        "id": "Harga coret tidak boleh lebih rendah dari harga jual",
        "en": "The strike-through price cannot be below the selling price",
    },
    "catalogue.category": {
        "id": "Kategori tidak ditemukan",
        "en": "Category not found",
    },
    "bundle.not_publishable": {
        "id": "Paket hanya dapat terbit bila berisi produk dan semua produknya sudah terbit",
        "en": "A bundle can be published only when it holds products and all of them are published",
    },
    "bundle.duplicate": {
        "id": "Produk yang sama disebut lebih dari sekali",
        "en": "The same product is listed more than once",
    },
    "bundle.products": {
        "id": "Hanya produk Anda sendiri yang sudah terbit yang dapat masuk ke paket",
        "en": "Only your own published products can go into a bundle",
    },
    "bundle.not_inside": {
        "id": "Produk ini tidak ada di dalam paket",
        "en": "This product is not in the bundle",
    },
}
