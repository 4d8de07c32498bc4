"""Demo site content: config (static pages, header, footer), banners and landing pages."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from esensi.models.cms import Banner, Cfg, Landing, LandingItems
from esensi.models.enums import BannerStatus, LandingStatus
from esensi.seed.clock import at
from esensi.seed.keys import seed_id
from esensi.seed.people import stamps
from esensi.seed.runner import insert_rows
from rlib import Scope

if TYPE_CHECKING:
    from esensi.seed.world import Seeding

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


def _cfg(key: str, value: str, *, public: bool) -> dict[str, Any]:
    return {
        "key": key,
        "value": value,
        "is_public": public,
        "description": None,
        "version": 1,
        **stamps(at(0)),
    }


async def seed_cfg(scope: Scope, seeding: Seeding) -> int:
    """Public pages and layout entries, plus staff-only settings."""
    rows = [_cfg(key, text, public=True) for key, text in PAGES.items()]
    rows += [_cfg(key, json.dumps(value), public=True) for key, value in STRUCTURED.items()]
    rows += [_cfg(key, value, public=False) for key, value in PRIVATE.items()]
    return await insert_rows(scope, Cfg, rows)


# title (lookup key), link, status
BANNERS = (
    ("banner-default", "/landing/promo-akhir-tahun", BannerStatus.ACTIVE),
    ("banner-default", "/browse/romansa", BannerStatus.ACTIVE),
    ("banner-default", "/browse/pengembangan-diri", BannerStatus.ACTIVE),
    ("banner-default", "/landing/ramadan", BannerStatus.INACTIVE),
    ("bundle-square", "/bundle", BannerStatus.ACTIVE),
)
# slug, title, status, items as (tag, link, colour)
LANDINGS = (
    (
        "promo-akhir-tahun",
        "Promo Akhir Tahun",
        LandingStatus.PUBLISHED,
        (
            ("Diskon 10%", "/browse/novel", "#e11d48"),
            ("Paket Hemat", "/bundle", "#2563eb"),
            ("Buku Anak", "/browse/anak", "#16a34a"),
            ("Terlaris", "/browse/fiksi", "#f59e0b"),
        ),
    ),
    (
        "ramadan",
        "Bacaan Ramadan",
        LandingStatus.DRAFT,
        (
            ("Islami", "/browse/islam", "#0f766e"),
            ("Kisah Teladan", "/browse/sejarah", "#7c3aed"),
        ),
    ),
)


async def seed_site(scope: Scope, seeding: Seeding) -> int:
    """Banners and landing pages with their items."""
    banners = [
        {
            "id": seed_id("banner", f"{title}:{n}"),
            "title": title,
            "banner_file": [f"/_file/upload/demo/{title}-{n + 1}.webp"],
            "link": link,
            "idx": n,
            "status": status.value,
            "version": 1,
            "deleted_at": None,
            **stamps(at(5 + n)),
        }
        for n, (title, link, status) in enumerate(BANNERS)
    ]
    added = await insert_rows(scope, Banner, banners)
    pages, items = [], []
    for slug, title, status, parts in LANDINGS:
        page_id = seed_id("landing", slug)
        pages.append(
            {
                "id": page_id,
                "slug": slug,
                "title": title,
                "views": 0 if status == "draft" else 1280,
                "status": status.value,
                "version": 1,
                "deleted_at": None,
                **stamps(at(20)),
            }
        )
        items += [
            {
                "id": seed_id("landing_items", f"{slug}:{n}"),
                "id_landing": page_id,
                "img_file": [f"/_file/upload/demo/{slug}-{n + 1}.webp"],
                "tag": tag,
                "link_to": link,
                "idx": n,
                "color": color,
                **stamps(at(20)),
            }
            for n, (tag, link, color) in enumerate(parts)
        ]
    added += await insert_rows(scope, Landing, pages)
    return added + await insert_rows(scope, LandingItems, items)
