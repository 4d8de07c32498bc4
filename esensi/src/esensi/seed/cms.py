"""Demo configuration: the store's static pages, header and footer."""

from __future__ import annotations

import json

from esensi.models.cms import Cfg
from esensi.seed.runner import insert_missing
from rlib import Scope

PAGES = {
    "page.about": "esensi adalah toko buku digital Indonesia untuk pembaca, penulis, dan penerbit.",
    "page.contact": "Hubungi kami di halo@esensi.online atau WhatsApp +62 812 0000 0000.",
    "page.disclaimer": "Isi buku adalah tanggung jawab penulis dan penerbit masing-masing.",
    "page.esensi": "esensi menghubungkan penulis Indonesia dengan pembacanya.",
    "page.howtobuy": "Pilih buku, masukkan ke keranjang, lalu bayar melalui Midtrans.",
    "page.privacypolicy": "Kami hanya menyimpan data yang diperlukan untuk melayani Anda.",
    "page.tos": "Dengan menggunakan esensi Anda menyetujui syarat dan ketentuan ini.",
    "page.terbitan": "Terbitkan buku Anda di esensi: daftar sebagai penulis atau penerbit.",
}
FAQ = [
    {
        "q": "Bagaimana cara membaca buku yang saya beli?",
        "a": "Buka menu Perpustakaan lalu pilih bukunya.",
    },
    {
        "q": "Metode pembayaran apa saja yang tersedia?",
        "a": "Transfer bank, e-wallet, dan kartu kredit melalui Midtrans.",
    },
]
STRUCTURED = {
    "page.faq": FAQ,
    "header": {
        "logo": "/_file/upload/brand/esensi-logo.webp",
        "search_placeholder": "Cari buku, penulis, atau kategori",
    },
    "footer": {
        "links": [{"label": "Tentang", "url": "/about"}, {"label": "FAQ", "url": "/faq"}],
        "copyright": "© esensi",
    },
}
PRIVATE = {"withdrawal.min_amount": "10000"}


async def seed_cfg(scope: Scope, scale: int) -> int:
    """Public pages and layout entries, plus staff-only settings."""
    rows = [Cfg(key=key, value=text, is_public=True) for key, text in PAGES.items()]
    rows += [
        Cfg(key=key, value=json.dumps(value), is_public=True) for key, value in STRUCTURED.items()
    ]
    rows += [Cfg(key=key, value=value, is_public=False) for key, value in PRIVATE.items()]
    return await insert_missing(scope, rows)
