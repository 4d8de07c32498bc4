"""``customer_reader`` (reading progress) and ``t_sales_download`` (entitlements).

The original's second webhook wrote entitlements into ``customer_reader`` and the first one
(``t_sales_download``) never ran, so many paid orders have no entitlement row at all. Ours has
one entitlement table. Rules (ADR b-import-money-rules):
- ``customer_reader`` imports as reading progress only: a row whose customer or product was
  not imported is rejected; of a repeated (customer, product) pair the furthest progress is
  kept and the others are rejected; a percent outside 0..100 or a negative page is clamped.
- ``t_sales_download`` rows import with the oldest imported paid order of the customer that
  holds the product (directly or in a bundle) as ``id_sales``; without one the row is
  rejected (no order grants it); repeated pairs are rejected. The original's clear-text,
  never-expiring download keys are not carried over (a new one is issued on download).
- Every imported paid order then grants its products (bundles expanded through their imported
  products, as our checkout does) where no entitlement exists yet: these rows are *derived*,
  reported as such, with an id derived from the pair so a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import asyncpg

from esensi.importer.identity import utc
from esensi.importer.links import imported_ids
from esensi.importer.report import Report
from esensi.importer.sales import order_products, paid_orders
from esensi.importer.sink import Sink

DERIVED = uuid.UUID("5a1e5d0f-0000-4000-8000-000000000020")


def derived_id(customer: Any, product: Any) -> uuid.UUID:
    """The id of the entitlement derived for one (customer, product) pair, the same each run."""
    return uuid.uuid5(DERIVED, f"{customer}:{product}")


async def import_customer_readers(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    customers = await imported_ids(source, report, "customer")
    products = await imported_ids(source, report, "product")
    rows = await source.fetch(
        "SELECT * FROM customer_reader ORDER BY id_customer, id_product, percent DESC, "
        "last_page DESC, id"
    )
    table = report.table("customer_reader")
    table.source = len(rows)
    seen: set[tuple[Any, Any]] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        pair = (row["id_customer"], row["id_product"])
        if pair[0] not in customers or pair[1] not in products:
            report.reject("customer_reader", "customer or product not imported", dict(row))
            continue
        if pair in seen:
            report.reject("customer_reader", "repeated reading progress: furthest kept", dict(row))
            continue
        seen.add(pair)
        percent = min(max(row["percent"], 0), 100)
        page = max(row["last_page"], 0)
        if percent != row["percent"] or page != row["last_page"]:
            report.repair("customer_reader", "progress outside its range: clamped", dict(row))
        batch.append(
            {
                "id": row["id"],
                "id_customer": pair[0],
                "id_product": pair[1],
                "id_chapter": None,
                "last_page": page,
                "percent": Decimal(percent),
            }
        )
    await sink.write("customer_reader", batch)
    table.imported = len(batch)


def _granting(
    paid: list[asyncpg.Record], bought: dict[Any, list[Any]]
) -> dict[tuple[Any, Any], tuple[Any, dt.datetime]]:
    """(customer, product) → (the oldest paid order granting it, when it was paid)."""
    grants: dict[tuple[Any, Any], tuple[Any, dt.datetime]] = {}
    for order in paid:
        moment = utc(order["updated_at"]) or utc(order["created_at"])
        assert moment is not None
        for product in bought.get(order["id"], []):
            grants.setdefault((order["id_customer"], product), (order["id"], moment))
    return grants


async def import_downloads(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    grants = _granting(await paid_orders(source, report), await order_products(source, report))
    rows = await source.fetch("SELECT * FROM t_sales_download ORDER BY downloaded_at, id")
    table = report.table("t_sales_download")
    table.source = len(rows)
    held: set[tuple[Any, Any]] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        pair = (row["id_customer"], row["id_product"])
        if pair in held:
            report.reject("t_sales_download", "repeated entitlement", dict(row))
            continue
        if pair not in grants:
            report.reject("t_sales_download", "no imported paid order grants it", dict(row))
            continue
        held.add(pair)
        order, moment = grants[pair]
        batch.append(
            {
                "id": row["id"],
                "id_customer": pair[0],
                "id_product": pair[1],
                "id_sales": order,
                "granted_at": moment,
                "downloaded_at": utc(row["downloaded_at"]),
                "ip_address": (row["ip_address"] or "")[:45] or None,
            }
        )
    await sink.write("t_sales_download", batch)
    table.imported = len(batch)
    derived: list[dict[str, Any]] = []
    for pair, (order, moment) in grants.items():
        if pair in held:
            continue
        entitlement = {
            "id": derived_id(*pair),
            "id_customer": pair[0],
            "id_product": pair[1],
            "id_sales": order,
            "granted_at": moment,
            "downloaded_at": None,
            "ip_address": None,
        }
        report.derive("t_sales_download", "granted by its paid order", entitlement)
        derived.append(entitlement)
    await sink.write("t_sales_download", derived)
