"""``product`` (what the store sells) and ``product_category``.

Rules, each reported with the full source row:
- no author, or an author that was not imported: rejected (ours requires the owner);
- negative ``real_price`` or ``strike_price``: rejected (ours checks money ≥ 0);
- a strike-through price below the real price: cleared (repaired);
- status through :data:`PRODUCT_STATUS` (case-insensitive); an unknown one is imported as
  ``paused`` (not sold, not lost: order lines still point at it) and reported;
- duplicate slugs suffixed, duplicate SKUs cleared, an unknown content type becomes ``ebook``.
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
from esensi.importer.report import Report
from esensi.importer.sink import Sink
from esensi.models.enums import ContentType

# The original's spellings (lower-cased) → ours. ``discontinu``: "DISCONTINUED" cut to the
# column's 10 characters by a hand edit.
PRODUCT_STATUS = {
    "draft": "draft",
    "published": "published",
    "publish": "published",
    "active": "published",
    "paused": "paused",
    "discontinued": "discontinued",
    "discontinu": "discontinued",
}
CONTENT_TYPES = {kind.value for kind in ContentType}


class Uniques:
    """SKUs: the first live claim keeps one, a later one is cleared (SKUs are optional)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def claim(self, raw: str | None, *, live: bool) -> tuple[str | None, str | None]:
        value = blank_none(raw)
        if value is None or not live:
            return value, None
        if value in self.seen:
            return None, "duplicate sku: cleared"
        self.seen.add(value)
        return value, None


def content_type(raw: str | None) -> tuple[str, str | None]:
    kind = (raw or ContentType.EBOOK.value).strip().lower()
    if kind in CONTENT_TYPES:
        return kind, None
    return ContentType.EBOOK.value, f"unknown content type {raw!r}: ebook"


def _product(
    row: asyncpg.Record, slugs: SlugClaims, skus: Uniques
) -> tuple[dict[str, Any], list[str]]:
    """Our row and the repairs made to it."""
    live = row["deleted_at"] is None
    slug, slug_repair = slugs.claim(row["slug"], row["name"], row["id"], live=live)
    sku, sku_repair = skus.claim(row["sku"], live=live)
    status, status_repair = map_status(row["status"], PRODUCT_STATUS, "paused")
    kind, kind_repair = content_type(row["content_type"])
    strike = row["strike_price"]
    strike_repair = None
    if strike is not None and strike < row["real_price"]:
        strike, strike_repair = None, "strike price below price: cleared"
    repairs = [r for r in (slug_repair, sku_repair, status_repair, kind_repair, strike_repair) if r]
    published = utc(row["published_date"])
    return {
        "id": row["id"],
        "name": row["name"],
        "slug": slug,
        "alias": blank_none(row["alias"]),
        "real_price": row["real_price"],
        "strike_price": strike,
        "desc": row["desc"],
        "info": json_value(row["info"]),
        "status": status,
        "img_file": file_list(row["img_file"]),
        "cover": blank_none(row["cover"]),
        "product_file": file_list(row["product_file"]),
        "sku": sku,
        "id_author": row["id_author"],
        "published_date": published,
        "is_physical": row["is_physical"],
        "preorder_min_qty": row["preorder_min_qty"],
        "content_type": kind,
        "is_chapter": row["is_chapter"],
        "deleted_at": utc(row["deleted_at"]),
        "created_at": published,
    }, repairs


async def import_products(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    authors = await imported_ids(source, report, "author")
    rows = await source.fetch("SELECT * FROM product ORDER BY published_date, id")
    table = report.table("product")
    table.source = len(rows)
    slugs, skus = SlugClaims(), Uniques()
    batch: list[dict[str, Any]] = []
    for row in rows:
        if row["id_author"] not in authors:
            report.reject("product", "author missing or not imported", dict(row))
            continue
        if negative(row["real_price"], row["strike_price"]):
            report.reject("product", "negative money", dict(row))
            continue
        product, repairs = _product(row, slugs, skus)
        if repairs:
            report.repair("product", "; ".join(repairs), dict(row))
        batch.append(report.uploads.rewrite("product", product))
    await sink.write("product", batch)
    table.imported = len(batch)


async def import_product_categories(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    await import_pair_links(
        "product_category",
        ("id_product", "id_category"),
        ("product", "category"),
        source,
        sink,
        report,
    )
