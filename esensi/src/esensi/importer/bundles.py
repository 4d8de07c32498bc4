"""``bundle``, ``bundle_product`` and ``bundle_category``.

Rules, each reported with the full source row:
- the original's publish create never set ``bundle.id_author``: a bundle without one takes the
  author of its products when they all have one and the same (repaired), else it is rejected;
- negative prices rejected; a strike-through price below the price cleared;
- status through :data:`BUNDLE_STATUS`; the original's ``deleted`` is our ``deleted_at``
  (status ``draft``); an unknown status is imported as ``paused`` and reported;
- a product line whose bundle or product was not imported, a repeated pair, or a quantity
  outside 1..100 is rejected.
"""

from __future__ import annotations

from collections import defaultdict
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
from esensi.importer.links import check_link, import_pair_links, imported_ids
from esensi.importer.report import Report
from esensi.importer.sink import Sink

BUNDLE_STATUS = {
    "draft": "draft",
    "published": "published",
    "publish": "published",
    "active": "published",
    "paused": "paused",
    "deleted": "draft",
}


async def _product_authors(source: asyncpg.Connection) -> dict[Any, set[Any]]:
    """Each bundle's set of product authors, to fill a missing ``bundle.id_author``."""
    authors: dict[Any, set[Any]] = defaultdict(set)
    rows = await source.fetch(
        "SELECT bp.id_bundle, p.id_author FROM bundle_product bp "
        "JOIN product p ON p.id = bp.id_product"
    )
    for row in rows:
        authors[row["id_bundle"]].add(row["id_author"])
    return authors


def _owner(row: asyncpg.Record, authors: set[Any], derived: set[Any]) -> tuple[Any, str | None]:
    """(the author to import the bundle under or None to reject it, the repair)."""
    if row["id_author"] is not None:
        return (row["id_author"], None) if row["id_author"] in authors else (None, None)
    if len(derived) == 1 and next(iter(derived)) in authors:
        return next(iter(derived)), "author missing: taken from its products"
    return None, None


async def import_bundles(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    authors = await imported_ids(source, report, "author")
    derived = await _product_authors(source)
    rows = await source.fetch("SELECT * FROM bundle ORDER BY created_at, id")
    table = report.table("bundle")
    table.source = len(rows)
    slugs = SlugClaims()
    batch: list[dict[str, Any]] = []
    for row in rows:
        owner, owner_repair = _owner(row, authors, derived.get(row["id"], set()))
        if owner is None:
            report.reject("bundle", "author missing or not imported", dict(row))
            continue
        if negative(row["real_price"], row["strike_price"]):
            report.reject("bundle", "negative money", dict(row))
            continue
        deleted = utc(row["deleted_at"])
        if (row["status"] or "").strip().lower() == "deleted" and deleted is None:
            deleted = utc(row["created_at"])  # when it went is unknown; never later than now
        status, status_repair = map_status(row["status"], BUNDLE_STATUS, "paused")
        slug, slug_repair = slugs.claim(row["slug"], row["name"], row["id"], live=deleted is None)
        strike, strike_repair = row["strike_price"], None
        if strike is not None and strike < row["real_price"]:
            strike, strike_repair = None, "strike price below price: cleared"
        repairs = [r for r in (owner_repair, status_repair, slug_repair, strike_repair) if r]
        if repairs:
            report.repair("bundle", "; ".join(repairs), dict(row))
        batch.append(
            {
                "id": row["id"],
                "name": row["name"],
                "slug": slug,
                "real_price": row["real_price"],
                "strike_price": strike,
                "desc": row["desc"],
                "info": json_value(row["info"]),
                "status": status,
                "img_file": report.uploads.many(
                    "bundle", row["id"], "img_file", file_list(row["img_file"])
                ),
                "cover": report.uploads.single("bundle", row["id"], "cover", row["cover"]),
                "sku": blank_none(row["sku"]),
                "cfg": json_value(row["cfg"]),
                "id_author": owner,
                "deleted_at": deleted,
            }
            | ({"created_at": utc(row["created_at"])} if row["created_at"] else {})
        )
    await sink.write("bundle", batch)
    table.imported = len(batch)


async def import_bundle_products(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    ends = (
        await imported_ids(source, report, "bundle"),
        await imported_ids(source, report, "product"),
    )
    rows = await source.fetch("SELECT * FROM bundle_product ORDER BY id")
    table = report.table("bundle_product")
    table.source = len(rows)
    seen: set[tuple[Any, Any]] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        qty = 1 if row["qty"] is None else row["qty"]
        reason = f"quantity {qty} outside 1..100" if not 1 <= qty <= 100 else None
        if reason is None:  # a rejected line claims no pair
            reason = check_link((row["id_bundle"], row["id_product"]), ends, seen)
        if reason is not None:
            report.reject("bundle_product", reason, dict(row))
            continue
        batch.append(
            {
                "id": row["id"],
                "id_bundle": row["id_bundle"],
                "id_product": row["id_product"],
                "qty": qty,
            }
        )
    await sink.write("bundle_product", batch)
    table.imported = len(batch)


async def import_bundle_categories(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    await import_pair_links(
        "bundle_category",
        ("id_bundle", "id_category"),
        ("bundle", "category"),
        source,
        sink,
        report,
    )
