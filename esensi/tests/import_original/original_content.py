"""The fixture's content: book change logs, reviews and likes, notifications, cfg, banners,
landing pages — each with the dirty rows the import must repair or reject (``planted.dirty``
kinds named below), and upload paths both safe and unsafe (``unsafe_path``).

Rows of a login or a book the import rejects are planted too: one login with an invalid
email (``content_login_invalid``) and the books the catalogue slice already rejects.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import asyncpg
from import_original.original_logins import LOGIN_SIDE_KINDS, login_side_links

if TYPE_CHECKING:
    from import_original.original_data import _Gen

SAFE_PATHS = (
    "_file/upload/2024-3/5/1709600000000-sampul depan.jpg",
    "/_file/upload/2024-12/31/1735600000000-b.webp",
    "https://esensi.online/_img/upload/2024-1/2/1704100000000-c.png",
    "https://chapter.esensi.online/_file/upload/2023-7/9/1688800000000-d.gif",
    "lama/tanpa-tanggal.jpeg",
)
UNSAFE_PATHS = (
    "../../etc/passwd.png",
    "/etc/esensi/rahasia.jpg",
    "https://evil.example/_file/upload/x.jpg",
    "_file/upload/%2e%2e/%2e%2e/x.png",
    "javascript:alert(1)",
    "_file/upload/2024-3/5/halaman.svg",
)
CONTENT_KINDS = {
    "content_login_invalid", "changes_raw", "changes_book_rejected", "review_fraction_rating",
    "review_without_rating", "review_rating_out_of_range", "review_duplicate",
    "review_long_comment", "review_by_rejected_login", "review_of_rejected_book",
    "reply_with_rating", "reply_to_rejected_review", "reply_parent_missing", "reply_loop",
    "like_duplicate", "like_of_rejected_review", "like_by_rejected_login", "notif_odd_type",
    "notif_odd_status", "notif_bad_url", "notif_rejected_login", "cfg_secret", "cfg_long_key",
    "unsafe_path", "banner_odd_status", "landing_duplicate_slug", "landing_negative_views",
    "landing_odd_status", "landing_item_long_color", "landing_item_desc", "banner_bad_link",
    "landing_item_bad_link", "cfg_long_value",
} | LOGIN_SIDE_KINDS  # fmt: skip
NOTIF_TYPES = ("book-submit", "book-publish", "book-reject", "book-revise", "book-create")


def _plant(gen: _Gen, kind: str, count: int = 1) -> None:
    gen.planted.dirty[kind] = gen.planted.dirty.get(kind, 0) + count


async def _extra_login(conn: asyncpg.Connection, gen: _Gen) -> uuid.UUID:
    """A login the import rejects (invalid email): its notifications and reviews follow it."""
    user = gen.uid()
    await conn.execute(
        "INSERT INTO auth_user (id, name, email, created_at) VALUES ($1, $2, $3, $4)",
        user,
        "Tanpa Surel",
        "tanpa-surel-at-contoh",
        gen.moment(),
    )
    gen.planted.rows["auth_user"] = gen.planted.rows.get("auth_user", 0) + 1
    _plant(gen, "content_login_invalid")
    return user


async def _changes(
    conn: asyncpg.Connection, gen: _Gen, kept: list[Any], dropped: list[Any]
) -> None:
    rows: list[tuple[Any, ...]] = []
    for n, book in enumerate(kept[:40]):
        changes: str | None = json.dumps(
            {"oldFields": {"name": f"Lama {n}"}, "newFields": {"name": f"Baru {n}"}}
        )
        if n % 20 == 7:
            changes = None
            _plant(gen, "changes_raw")
        rows.append((book, gen.moment(), changes))
    for book in dropped[:2]:
        rows.append((book, gen.moment(), json.dumps({"oldFields": {}, "newFields": {}})))
        _plant(gen, "changes_book_rejected")
    await conn.executemany(
        "INSERT INTO book_changes_log (id_book, created_at, changes) VALUES ($1, $2, $3)", rows
    )
    gen.planted.rows["book_changes_log"] = len(rows)


def _top_reviews(
    gen: _Gen, kept: list[Any], users: list[Any], bad_user: Any, dropped: list[Any]
) -> tuple[list[tuple[Any, ...]], Any]:
    """(top-level reviews, the id of one the import rejects)."""
    rows: list[tuple[Any, ...]] = []
    for n, book in enumerate(kept[:30]):
        for k in range(3):
            rating: Decimal | None = Decimal(1 + (n + k) % 5)
            user, comment = users[(n * 3 + k) % len(users)], f"Ulasan {n}-{k}"
            if n % 10 == 1 and k == 0:
                rating = Decimal("4.5")
                _plant(gen, "review_fraction_rating")
            elif n % 10 == 2 and k == 0:
                rating = None
                _plant(gen, "review_without_rating")
            elif n % 10 == 3 and k == 0:
                rating = Decimal(7)
                _plant(gen, "review_rating_out_of_range")
            elif n % 10 == 4 and k == 1:
                user = users[(n * 3) % len(users)]  # the same reader as k == 0
                _plant(gen, "review_duplicate")
            elif n % 10 == 5 and k == 0:
                comment = "panjang " * 700
                _plant(gen, "review_long_comment")
            rows.append((gen.uid(), book, comment, rating, gen.moment(), None, user))
    rejected = next(r[0] for r in rows if r[3] is None)
    rows.append(
        (gen.uid(), kept[0], "Dari login ditolak", Decimal(5), gen.moment(), None, bad_user)
    )
    _plant(gen, "review_by_rejected_login")
    for book in dropped[:2]:
        rows.append((gen.uid(), book, "Buku ditolak", Decimal(4), gen.moment(), None, users[0]))
        _plant(gen, "review_of_rejected_book")
    return rows, rejected


async def _reviews(
    conn: asyncpg.Connection, gen: _Gen, kept: list[Any], dropped: list[Any], users: list[Any],
    bad_user: Any,
) -> None:  # fmt: skip
    top, rejected = _top_reviews(gen, kept, users, bad_user, dropped)
    good = [r for r in top if r[3] is not None and 1 <= r[3] <= 5 and r[6] != bad_user]
    good = [r for r in good if r[1] not in dropped]
    rows = [(*r, None) for r in top]
    for n, parent in enumerate(good[:20]):
        rating = Decimal(3) if n % 7 == 0 else None
        if rating is not None:
            _plant(gen, "reply_with_rating")
        rows.append((gen.uid(), parent[1], f"Balasan {n}", rating, gen.moment(), None,
                     users[n % len(users)], parent[0]))  # fmt: skip
    rows.append((gen.uid(), kept[0], "Balas yang ditolak", None, gen.moment(), None, users[1],
                 rejected))  # fmt: skip
    _plant(gen, "reply_to_rejected_review")
    rows.append((gen.uid(), kept[0], "Induk hilang", None, gen.moment(), None, users[1],
                 gen.uid()))  # fmt: skip
    _plant(gen, "reply_parent_missing")
    a, b = gen.uid(), gen.uid()
    rows.append((a, kept[0], "Lingkaran A", None, gen.moment(), None, users[2], b))
    rows.append((b, kept[0], "Lingkaran B", None, gen.moment(), None, users[3], a))
    _plant(gen, "reply_loop", 2)
    await conn.executemany(
        "INSERT INTO reviews (id, id_book, comments, rating, created_at, deleted_at, id_user, "
        "parent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        rows,
    )
    gen.planted.rows["reviews"] = len(rows)
    likes = [(gen.uid(), r[0], users[(n + 5) % len(users)]) for n, r in enumerate(good[:40])]
    likes.append((gen.uid(), likes[0][1], likes[0][2]))
    _plant(gen, "like_duplicate")
    likes.append((gen.uid(), rejected, users[4]))
    _plant(gen, "like_of_rejected_review")
    likes.append((gen.uid(), good[0][0], bad_user))
    _plant(gen, "like_by_rejected_login")
    await conn.executemany(
        "INSERT INTO reviews_likes (id, id_reviews, id_user) VALUES ($1, $2, $3)", likes
    )
    gen.planted.rows["reviews_likes"] = len(likes)


async def _notifs(conn: asyncpg.Connection, gen: _Gen, users: list[Any], bad_user: Any) -> None:
    rows: list[tuple[Any, ...]] = []
    for n in range(120):
        kind, status = NOTIF_TYPES[n % len(NOTIF_TYPES)], ("unread", "read")[n % 2]
        url: str | None = f"https://publish.esensi.online/buku/{n}"
        thumbnail: str | None = SAFE_PATHS[n % len(SAFE_PATHS)] if n % 4 == 0 else None
        if n % 30 == 1:
            kind = "promo-kilat"
            _plant(gen, "notif_odd_type")
        elif n % 30 == 2:
            status = "arsip"
            _plant(gen, "notif_odd_status")
        elif n % 30 == 3:
            url = "javascript:alert(1)"
            _plant(gen, "notif_bad_url")
        elif n % 30 == 4:
            url = "https://evil.example/masuk"
            _plant(gen, "notif_bad_url")
        data = {"n": n, "sampul": SAFE_PATHS[2]} if n % 10 == 5 else {"n": n}
        rows.append((users[n % len(users)], gen.moment(), f"Pesan {n}", kind, status, url,
                     json.dumps(data), thumbnail))  # fmt: skip
    rows.append((bad_user, gen.moment(), "Ke login ditolak", "book-submit", "unread", None, None,
                 None))  # fmt: skip
    _plant(gen, "notif_rejected_login")
    await conn.executemany(
        "INSERT INTO notif (id_user, created_at, message, type, status, url, data, thumbnail) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        rows,
    )
    gen.planted.rows["notif"] = await conn.fetchval("SELECT count(*) FROM notif")


async def _cms(conn: asyncpg.Connection, gen: _Gen) -> None:
    cfg = [
        ("page.about", "Tentang esensi (lama)"),
        ("footer", json.dumps({"copyright": "esensi lama"})),
        ("header", json.dumps({"logo": "/" + SAFE_PATHS[0].lstrip("/"), "teks": "_file/x"})),
        ("withdrawal.min_amount", "50000"),
        ("midtrans_server_key", "SB-Mid-server-rahasia"),
        ("k" * 200, "kunci terlalu panjang"),
        ("page.panjang", "x" * 70_000),
    ]
    _plant(gen, "cfg_long_value")
    _plant(gen, "cfg_secret")
    _plant(gen, "cfg_long_key")
    banners: list[tuple[Any, ...]] = []
    for n in range(8):
        files = [SAFE_PATHS[n % len(SAFE_PATHS)], SAFE_PATHS[(n + 1) % len(SAFE_PATHS)]]
        if n < len(UNSAFE_PATHS):
            files.append(UNSAFE_PATHS[n])
            _plant(gen, "unsafe_path")
        status = ("ON", "OFF", "ON", "tampil")[n % 4]
        if status == "tampil":
            _plant(gen, "banner_odd_status")
        link = f"/promo/{n}"
        if n == 4:
            link = "javascript:alert(1)"
            _plant(gen, "banner_bad_link")
        banners.append((gen.uid(), "banner-default", json.dumps(files), status, link))
    banners.append((gen.uid(), "bundle-square", SAFE_PATHS[0], None, None))  # a bare path
    landings = [
        (gen.uid(), "promo-ramadan", 10, "published", "Promo Ramadan"),
        (gen.uid(), "Promo-Ramadan", 3, "published", "Promo Ramadan lagi"),
        (gen.uid(), "arsip-lama", -4, "diarsipkan", "Arsip"),
        (gen.uid(), "segera", 0, "draft", "Segera"),
    ]
    _plant(gen, "landing_duplicate_slug")
    _plant(gen, "landing_negative_views")
    _plant(gen, "landing_odd_status")
    items: list[tuple[Any, ...]] = []
    for n, landing in enumerate(landings * 3):
        color, desc = "#ffffff", ""
        if n == 1:
            color = "rgba(255, 255, 255, 0.5)"
            _plant(gen, "landing_item_long_color")
        if n == 2:
            desc = "Deskripsi yang tidak punya kolom"
            _plant(gen, "landing_item_desc")
        link = f"/buku/{n}"
        if n == 3:
            link = "//evil.example/x"
            _plant(gen, "landing_item_bad_link")
        img = json.dumps([SAFE_PATHS[n % len(SAFE_PATHS)]])
        items.append((gen.uid(), desc, img, "h2", link, landing[0], n + 1, color))
    await conn.executemany('INSERT INTO cfg ("key", value) VALUES ($1, $2)', cfg)
    await conn.executemany(
        "INSERT INTO banner (id, title, banner_file, status, link) VALUES ($1, $2, $3, $4, $5)",
        banners,
    )
    await conn.executemany(
        "INSERT INTO landing (id, slug, views, status, title) VALUES ($1, $2, $3, $4, $5)",
        landings,
    )
    await conn.executemany(
        'INSERT INTO landing_items (id, "desc", img_file, tag, link_to, landing_id, idx, color) '
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        items,
    )
    gen.planted.rows.update(cfg=len(cfg), banner=len(banners), landing=len(landings),
                            landing_items=len(items))  # fmt: skip


KEPT_PRODUCT = "real_price >= 0 AND id_author IS NOT NULL"
KEPT_BOOK = "id_author IS NOT NULL AND submitted_price >= 0"


async def _files(conn: asyncpg.Connection, gen: _Gen) -> None:
    """Upload paths in the file columns of rows the import keeps, three of them unsafe."""
    await conn.execute(
        "UPDATE auth_user SET image = $1 "
        "WHERE id IN (SELECT id FROM auth_user ORDER BY id LIMIT 5)",
        SAFE_PATHS[0],
    )
    await conn.execute(
        "UPDATE author SET avatar = $1 WHERE id = (SELECT id FROM author ORDER BY id LIMIT 1)",
        "https://cdn.lain.example/avatar.jpg",
    )
    await conn.execute(
        "UPDATE author SET avatar = $1 WHERE id = (SELECT id FROM author ORDER BY id DESC LIMIT 1)",
        SAFE_PATHS[1],
    )
    await conn.execute("UPDATE publisher SET logo = $1", SAFE_PATHS[2])
    await conn.execute("UPDATE category SET img = $1 WHERE slug IS NOT NULL", SAFE_PATHS[3])
    products = [
        r["id"]
        for r in await conn.fetch(
            f"SELECT id FROM product WHERE {KEPT_PRODUCT} ORDER BY id LIMIT 6"
        )
    ]
    for n, product in enumerate(products):
        book_files = ["_file/upload/2024-5/6/1714900000000-buku.epub", "/_file/upload/x/buku.pdf"]
        if n == 0:
            book_files.append("_file/upload/2024-5/6/pemasang.exe")
        await conn.execute(
            "UPDATE product SET cover = $2, img_file = $3, product_file = $4 WHERE id = $1",
            product, SAFE_PATHS[n % len(SAFE_PATHS)], json.dumps(SAFE_PATHS[:2]),
            json.dumps(book_files),
        )  # fmt: skip
    await conn.execute(
        f"UPDATE book SET cover = $1, product_file = $2 WHERE id IN "
        f"(SELECT id FROM book WHERE {KEPT_BOOK} ORDER BY id LIMIT 3)",
        SAFE_PATHS[4],
        json.dumps(["_file/upload/2024-5/6/naskah.pdf"]),
    )
    await conn.execute("UPDATE bundle SET cover = $1", SAFE_PATHS[1])
    chapter = await conn.fetchval(
        "SELECT min(c.id::text)::uuid FROM chapter c JOIN book b ON b.id = c.id_book "
        f"WHERE b.{KEPT_BOOK.replace(' AND ', ' AND b.')} AND c.number >= 1 "
        "AND (c.id_book, c.number) IN (SELECT id_book, number FROM chapter "
        "GROUP BY id_book, number HAVING count(*) = 1)"
    )
    document = {
        "blocks": [
            {"type": "paragraph", "data": {"text": "Gambar:"}},
            {"type": "image", "data": {"file": {"url": SAFE_PATHS[2]}, "caption": ""}},
            {"type": "image", "data": {"file": {"url": "https://evil.example/x.png"}}},
        ]
    }
    await conn.execute(
        "UPDATE chapter SET content = $2 WHERE id = $1", chapter, json.dumps(document)
    )
    _plant(gen, "unsafe_path", 3)  # the avatar, the .exe book file, the chapter's image


async def _dropped(conn: asyncpg.Connection, gen: _Gen) -> None:
    """A row in each catalogue table ours dropped (reported, not imported); the money side's
    dropped tables are planted by original_money."""
    product = await conn.fetchval("SELECT id FROM product ORDER BY id LIMIT 1")
    book = await conn.fetchval("SELECT id FROM book ORDER BY id LIMIT 1")
    await conn.execute(
        "INSERT INTO preorder (id, id_product, min_qty, deadline) VALUES ($1, $2, 10, $3)",
        gen.uid(), product, gen.moment(),
    )  # fmt: skip
    await conn.execute("INSERT INTO ranking (id, id_book) VALUES ($1, $2)", gen.uid(), book)
    gen.planted.rows.update(preorder=1, ranking=1)


async def content(conn: asyncpg.Connection, gen: _Gen) -> None:
    """Plant the content tables (called last by ``fill``, after books and logins exist)."""
    kept = [
        r["id"]
        for r in await conn.fetch(
            "SELECT id FROM book WHERE id_author IS NOT NULL AND submitted_price >= 0 ORDER BY id"
        )
    ]
    dropped = [
        r["id"]
        for r in await conn.fetch(
            "SELECT id FROM book WHERE id_author IS NULL OR submitted_price < 0 ORDER BY id"
        )
    ]
    users = [r["id"] for r in await conn.fetch("SELECT id FROM auth_user ORDER BY id")]
    await login_side_links(conn, gen)
    bad_user = await _extra_login(conn, gen)
    await _changes(conn, gen, kept, dropped)
    await _reviews(conn, gen, kept, dropped, users, bad_user)
    await _notifs(conn, gen, users, bad_user)
    await _cms(conn, gen)
    await _files(conn, gen)
    await _dropped(conn, gen)
