"""``t_sales`` (carts and orders) and ``t_sales_line``: the money history of the store.

Rules (ADR b-import-money-rules), each reported with the full source row:
- status through :data:`ORDER_STATUS` (the original's column held raw Midtrans spellings);
  ``challenge`` is ``pending`` with fraud status ``challenge``; an unknown spelling imports as
  ``failed`` (terminal: no entitlement, no ledger effect) and is reported;
- an order of a customer that was not imported, or with a negative total, is rejected;
- the order keeps the original's ``total`` (what was charged) as subtotal and total;
- a customer's older open carts are soft-deleted (ours: one open cart per customer);
- ``midtrans_order_id`` ``''`` is none; a repeated one is cleared on the later order;
- the Snap token the original kept inside ``info`` moves to ``snap_token`` (never in ``info``);
- a line is rejected when its order was not imported, it names no item or both, its product
  or bundle was not imported, its money is negative, its quantity is outside 1..10, its total
  is not price times quantity, or it repeats an item of its order. The order keeps its total and
  reports how many of its lines were not imported.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

import asyncpg

from esensi.importer.cleaning import json_value, map_status, negative
from esensi.importer.identity import utc
from esensi.importer.links import imported_ids
from esensi.importer.report import Report
from esensi.importer.sink import Sink

# The original's spellings (lower-cased; models.md §9 and original-system.md §7.4) → ours.
ORDER_STATUS = {
    "cart": "cart",
    "pending": "pending",
    "challenge": "pending",
    "paid": "paid",
    "lunas": "paid",
    "success": "paid",
    "settlement": "paid",
    "capture": "paid",
    "completed": "paid",
    "expired": "expired",
    "expire": "expired",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "cancel": "cancelled",
    "failed": "denied",
    "deny": "denied",
    "denied": "denied",
    "fraud": "denied",
    "failure": "failed",
    "refunded": "refunded",
    "refund": "refunded",
}
UNKNOWN_ORDER_STATUS = "failed"
PENDING_EXPIRY = dt.timedelta(hours=24)  # the original's Snap expiry
SECRET_INFO = ("snap_token", "token")
SNAP_TOKEN_LENGTH = 128


def _moment(row: asyncpg.Record) -> dt.datetime:
    return utc(row["created_at"]) or dt.datetime.now(dt.UTC)


def _latest_carts(rows: list[asyncpg.Record]) -> dict[Any, Any]:
    """Each customer's newest live cart (by created_at, then id): it stays open."""
    latest: dict[Any, asyncpg.Record] = {}
    for row in rows:
        status, _ = map_status(row["status"], ORDER_STATUS, UNKNOWN_ORDER_STATUS)
        if status != "cart" or row["deleted_at"] is not None:
            continue
        held = latest.get(row["id_customer"])
        if held is None or (row["created_at"], row["id"]) > (held["created_at"], held["id"]):
            latest[row["id_customer"]] = row
    return {customer: row["id"] for customer, row in latest.items()}


def _order(
    row: asyncpg.Record, open_cart: Any, order_ids: set[str]
) -> tuple[dict[str, Any], list[str]]:
    created = _moment(row)
    raw = (row["status"] or "").strip().lower()
    status, status_repair = map_status(row["status"], ORDER_STATUS, UNKNOWN_ORDER_STATUS)
    repairs = [status_repair] if status_repair else []
    deleted = utc(row["deleted_at"])
    if status == "cart" and deleted is None and open_cart != row["id"]:
        deleted = utc(row["updated_at"]) or created
        repairs.append("an older open cart of the same customer: soft-deleted")
    midtrans_id = (row["midtrans_order_id"] or "").strip() or None
    if midtrans_id is not None and (midtrans_id in order_ids or len(midtrans_id) > 64):
        midtrans_id = None
        repairs.append("midtrans_order_id repeated or too long: cleared")
    if midtrans_id is not None:
        order_ids.add(midtrans_id)
    changed = utc(row["updated_at"]) or created
    info = json_value(row["info"])
    info = dict(info) if isinstance(info, dict) else None
    token = None
    for key in SECRET_INFO:  # the original kept the Snap token in info; ours has a column
        found = info.pop(key, None) if info is not None else None
        if isinstance(found, str) and len(found) <= SNAP_TOKEN_LENGTH:
            token = token or found
    return {
        "id": row["id"],
        "id_customer": row["id_customer"],
        "status": status,
        "fraud_status": "challenge" if raw == "challenge" else None,
        "subtotal": row["total"],
        "discount_total": Decimal(0),
        "total": row["total"],
        "info": info,
        "snap_token": token,
        "midtrans_order_id": midtrans_id,
        "midtrans_success": json_value(row["midtrans_success"]),
        "midtrans_pending": json_value(row["midtrans_pending"]),
        "midtrans_error": json_value(row["midtrans_error"]),
        "checkout_at": None if status == "cart" else created,
        "paid_at": changed if status in ("paid", "refunded") else None,
        "expires_at": created + PENDING_EXPIRY if status == "pending" else None,
        "cancelled_at": changed if status == "cancelled" else None,
        "refunded_at": changed if status == "refunded" else None,
        "deleted_at": deleted,
        "created_at": created,
        "updated_at": changed,
    }, repairs


def _line_reason(
    row: asyncpg.Record,
    orders: set[Any],
    items: tuple[set[Any], set[Any]],
    seen: set[tuple[Any, Any, Any]],
) -> str | None:
    """Why the line cannot be imported, or None (and its item is claimed in its order)."""
    if row["id_sales"] not in orders:
        return "order not imported"
    if (row["id_product"] is None) == (row["id_bundle"] is None):
        return "a line names exactly one product or one bundle"
    if row["id_product"] is not None and row["id_product"] not in items[0]:
        return "product not imported"
    if row["id_bundle"] is not None and row["id_bundle"] not in items[1]:
        return "bundle not imported"
    if negative(row["unit_price"], row["total_price"]):
        return "negative money"
    if not 1 <= row["qty"] <= 10:
        return f"quantity {row['qty']} outside 1..10"
    if row["unit_price"] * row["qty"] != row["total_price"]:
        return "line total is not price times quantity"
    key = (row["id_sales"], row["id_product"], row["id_bundle"])
    if key in seen:
        return "item repeated in its order"
    seen.add(key)
    return None


async def import_sales(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    """Orders first (a line needs its order), then their lines."""
    customers = await imported_ids(source, report, "customer")
    rows = await source.fetch("SELECT * FROM t_sales ORDER BY created_at, id")
    table = report.table("t_sales")
    table.source = len(rows)
    carts = _latest_carts([r for r in rows if r["id_customer"] in customers])
    midtrans_ids: set[str] = set()
    orders: dict[Any, tuple[dict[str, Any], list[str], asyncpg.Record]] = {}
    for row in rows:
        if row["id_customer"] not in customers:
            report.reject("t_sales", "customer missing or not imported", dict(row))
            continue
        if negative(row["total"]):
            report.reject("t_sales", "negative money", dict(row))
            continue
        order, repairs = _order(row, carts.get(row["id_customer"]), midtrans_ids)
        orders[row["id"]] = (order, repairs, row)

    items = (
        await imported_ids(source, report, "product"),
        await imported_ids(source, report, "bundle"),
    )
    line_rows = await source.fetch("SELECT * FROM t_sales_line ORDER BY id_sales, id")
    lines_table = report.table("t_sales_line")
    lines_table.source = len(line_rows)
    seen: set[tuple[Any, Any, Any]] = set()
    dropped: Counter[Any] = Counter()
    lines: list[dict[str, Any]] = []
    kept = set(orders)
    for row in line_rows:
        reason = _line_reason(row, kept, items, seen)
        if reason is not None:
            report.reject("t_sales_line", reason, dict(row))
            dropped[row["id_sales"]] += row["id_sales"] in orders
            continue
        lines.append(
            {
                "id": row["id"],
                "id_sales": row["id_sales"],
                "id_product": row["id_product"],
                "id_bundle": row["id_bundle"],
                "unit_price": row["unit_price"],
                "qty": row["qty"],
                "total_price": row["total_price"],
                "discount_amount": Decimal(0),
                "created_at": orders[row["id_sales"]][0]["created_at"],
            }
        )

    batch: list[dict[str, Any]] = []
    for order_id, (order, repairs, row) in orders.items():
        if dropped[order_id]:
            repairs.append(f"{dropped[order_id]} line(s) not imported: total kept")
        if repairs:
            report.repair("t_sales", "; ".join(repairs), dict(row))
        batch.append(order)
    await sink.write("t_sales", batch)
    table.imported = len(batch)
    await sink.write("t_sales_line", lines)
    lines_table.imported = len(lines)


async def paid_orders(source: asyncpg.Connection, report: Report) -> list[asyncpg.Record]:
    """The imported orders whose status maps to ``paid``, oldest first."""
    rejected = {row["id"] for _, row in report.table("t_sales").rejected}
    rows = await source.fetch(
        "SELECT id, id_customer, status, created_at, updated_at FROM t_sales "
        "ORDER BY coalesce(updated_at, created_at), id"
    )
    return [
        row
        for row in rows
        if row["id"] not in rejected
        and map_status(row["status"], ORDER_STATUS, UNKNOWN_ORDER_STATUS)[0] == "paid"
    ]


async def order_products(source: asyncpg.Connection, report: Report) -> dict[Any, list[Any]]:
    """Each imported order's products, bundles expanded through their imported products (as
    our checkout grants them), in a stable order."""
    rejected_lines = {row["id"] for _, row in report.table("t_sales_line").rejected}
    bundle_rejected = {row["id"] for _, row in report.table("bundle_product").rejected}
    products = await imported_ids(source, report, "product")
    contents: dict[Any, list[Any]] = defaultdict(list)
    for row in await source.fetch(
        "SELECT id, id_bundle, id_product FROM bundle_product ORDER BY id"
    ):
        if row["id"] not in bundle_rejected and row["id_product"] in products:
            contents[row["id_bundle"]].append(row["id_product"])
    bought: dict[Any, list[Any]] = defaultdict(list)
    for row in await source.fetch(
        "SELECT id, id_sales, id_product, id_bundle FROM t_sales_line ORDER BY id_sales, id"
    ):
        if row["id"] in rejected_lines:
            continue
        found = [row["id_product"]] if row["id_product"] else contents.get(row["id_bundle"], [])
        bought[row["id_sales"]] += [p for p in found if p not in bought[row["id_sales"]]]
    return bought
