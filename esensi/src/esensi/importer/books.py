"""``book`` (the author's side), ``book_genre``, ``book_tags`` and ``chapter``.

Rules, each reported with the full source row:
- no author, or one not imported: rejected; a negative ``submitted_price``: rejected;
- status through :data:`BOOK_STATUS`; an unknown one imports as ``draft`` (back with its
  author, out of the store) and is reported;
- ``id_product`` kept only when that product was imported and no earlier book claims it
  (ours: one book per product); otherwise cleared and reported;
- slugs and SKUs as for products;
- chapters: a missing or rejected book, a number below 1, a number already taken in its book,
  or content that is not an Editor.js document (an object) rejects the chapter. The original
  had no chapter status and showed every chapter: they import as ``published``.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from esensi.importer.cleaning import (
    SlugClaims,
    blank_none,
    file_list,
    json_value,
    map_status,
    negative,
)
from esensi.importer.identity import utc
from esensi.importer.links import import_pair_links, imported_ids
from esensi.importer.products import Uniques, content_type
from esensi.importer.report import Report
from esensi.importer.sink import Sink

BOOK_STATUS = {
    "draft": "draft",
    "submitted": "submitted",
    "pending": "submitted",
    "review": "submitted",
    "published": "published",
    "publish": "published",
    "approved": "published",
    "rejected": "rejected",
    "reject": "rejected",
}


def _book(
    row: asyncpg.Record, claims: tuple[SlugClaims, Uniques]
) -> tuple[dict[str, Any], list[str]]:
    live = row["deleted_at"] is None
    slug, slug_repair = claims[0].claim(row["slug"], row["name"], row["id"], live=live)
    sku, sku_repair = claims[1].claim(row["sku"], live=live)
    status, status_repair = map_status(row["status"], BOOK_STATUS, "draft")
    kind, kind_repair = content_type(row["content_type"])
    return {
        "id": row["id"],
        "name": row["name"],
        "slug": slug,
        "alias": blank_none(row["alias"]),
        "submitted_price": row["submitted_price"],
        "desc": row["desc"],
        "info": json_value(row["info"]),
        "status": status,
        "img_file": file_list(row["img_file"]),
        "cover": blank_none(row["cover"]),
        "product_file": file_list(row["product_file"]),
        "sku": sku,
        "id_author": row["id_author"],
        "published_date": utc(row["published_date"]),
        "is_physical": row["is_physical"],
        "preorder_min_qty": row["preorder_min_qty"],
        "content_type": kind,
        "is_chapter": row["is_chapter"],
        "cfg": json_value(row["cfg"]),
        "deleted_at": utc(row["deleted_at"]),
        "created_at": row["created_at"],
    }, [r for r in (slug_repair, sku_repair, status_repair, kind_repair) if r]


async def import_books(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    authors = await imported_ids(source, report, "author")
    products = await imported_ids(source, report, "product")
    rows = await source.fetch("SELECT * FROM book ORDER BY created_at, id")
    table = report.table("book")
    table.source = len(rows)
    claims, claimed = (SlugClaims(), Uniques()), set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        if row["id_author"] not in authors:
            report.reject("book", "author missing or not imported", dict(row))
            continue
        if negative(row["submitted_price"]):
            report.reject("book", "negative money", dict(row))
            continue
        book, repairs = _book(row, claims)
        product = row["id_product"]
        if product is not None and (product not in products or product in claimed):
            book["id_product"] = None
            repairs.append("product missing or already another book's: cleared")
        elif product is not None:
            book["id_product"] = product
            claimed.add(product)
        if repairs:
            report.repair("book", "; ".join(repairs), dict(row))
        batch.append(report.uploads.rewrite("book", book))
    await sink.write("book", batch)
    table.imported = len(batch)


async def import_book_taxonomies(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    await import_pair_links(
        "book_genre", ("id_book", "id_genre"), ("book", "genre"), source, sink, report
    )
    await import_pair_links(
        "book_tags", ("id_book", "id_tags"), ("book", "tags"), source, sink, report
    )


def _chapter_problem(
    row: asyncpg.Record, books: set[Any], taken: set[tuple[Any, int]]
) -> str | None:
    if row["id_book"] not in books:
        return "book missing or not imported"
    if row["number"] < 1:
        return f"chapter number {row['number']} below 1"
    if (row["id_book"], row["number"]) in taken:
        return f"chapter number {row['number']} repeated in its book"
    if not isinstance(json_value(row["content"]), dict):
        return "content is not an Editor.js document"
    return None


async def import_chapters(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    books = await imported_ids(source, report, "book")
    rows = await source.fetch("SELECT * FROM chapter ORDER BY created_at, id")
    table = report.table("chapter")
    table.source = len(rows)
    taken: set[tuple[Any, int]] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        problem = _chapter_problem(row, books, taken)
        if problem is not None:
            report.reject("chapter", problem, dict(row))
            continue
        taken.add((row["id_book"], row["number"]))
        batch.append(
            {
                "id": row["id"],
                "id_book": row["id_book"],
                "number": row["number"],
                "name": row["name"],
                "content": report.uploads.content("chapter", row["id"], json_value(row["content"])),
                "status": "published",
                "published_at": row["created_at"],
                "created_at": row["created_at"],
                "updated_at": row["updated_at"] or row["created_at"],
            }
        )
    await sink.write("chapter", batch)
    table.imported = len(batch)
