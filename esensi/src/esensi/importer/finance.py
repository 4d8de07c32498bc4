"""``withdrawal`` and ``transaction`` (the publisher ledger), then the balances compared.

Rules (ADR b-import-money-rules), each reported with the full source row:
- withdrawals: a publisher that was not imported or an amount that is not positive rejects
  the row; status through :data:`WITHDRAWAL_STATUS`, an unknown one imports as ``pending``
  (staff decide) and is reported; ours allows one pending request per owner, so a later
  pending request of the same owner (the original's double spend) is rejected; ``paid`` gets
  the reference ``original:<id>``, ``rejected`` a note; a finished request without
  ``processed_at`` takes its request time; the bank details come from the ledger row the
  original wrote with the request (else empty, reported). A rejected or cancelled request was
  never reversed in the original: no reversal is added (reported).
- ledger rows: every row of an imported publisher is kept so balances carry over; a type
  outside ours, or an amount whose sign does not fit the type, imports as ``adjustment`` with
  the original type in ``info`` (reported); a ``sale`` repeating an earlier one (same
  publisher, order and amount: the original's webhook had no idempotency) is rejected; a row
  whose ``info.id_sales`` names an imported order is linked to it (``id_sales``).
- balances: SUM(amount) per publisher in our ledger against the original's; every difference
  goes to the report.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy import Numeric, func, select, type_coerce

from esensi.importer.cleaning import json_value, map_status
from esensi.importer.identity import utc
from esensi.importer.links import imported_ids
from esensi.importer.report import Report
from esensi.importer.sink import Sink
from esensi.models.ledger import Transaction
from esensi.services.ledger import money

WITHDRAWAL_STATUS = {
    "pending": "pending",
    "menunggu": "pending",
    "requested": "pending",
    "approved": "pending",
    "processing": "pending",
    "paid": "paid",
    "success": "paid",
    "done": "paid",
    "completed": "paid",
    "transferred": "paid",
    "selesai": "paid",
    "rejected": "rejected",
    "reject": "rejected",
    "ditolak": "rejected",
    "denied": "rejected",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "cancel": "cancelled",
    "batal": "cancelled",
}
LEDGER_TYPE = {
    "sale": "sale",
    "sales": "sale",
    "penjualan": "sale",
    "refund": "refund",
    "withdrawal": "withdrawal",
    "withdraw": "withdrawal",
    "penarikan": "withdrawal",
    "withdrawal_reversal": "withdrawal_reversal",
    "reversal": "withdrawal_reversal",
    "adjustment": "adjustment",
    "koreksi": "adjustment",
}
POSITIVE, NEGATIVE = {"sale", "withdrawal_reversal"}, {"refund", "withdrawal"}
BANK = ("bank_account_number", "bank_account_provider", "bank_account_name")
REJECTED_NOTE = "Ditolak di sistem lama (diimpor)."


def _info(raw: Any) -> dict[str, Any]:
    value = json_value(raw)
    return value if isinstance(value, dict) else {}


async def _request_rows(source: asyncpg.Connection) -> dict[str, dict[str, Any]]:
    """The info of the ledger row the original wrote with each request, by withdrawal id."""
    found: dict[str, dict[str, Any]] = {}
    for row in await source.fetch('SELECT info FROM "transaction" ORDER BY created_at, id'):
        info = _info(row["info"])
        if info.get("id_withdrawal"):
            found.setdefault(str(info["id_withdrawal"]), info)
    return found


def _withdrawal(
    row: asyncpg.Record, status: str, bank: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    repairs: list[str] = []
    if not all(bank.get(key) for key in BANK):
        repairs.append("bank details unknown: left empty")
    requested = utc(row["requested_at"])
    processed = utc(row["processed_at"])
    if status != "pending" and processed is None:
        processed = requested
        repairs.append("processed time missing: request time used")
    if status in ("rejected", "cancelled"):
        repairs.append("ended without a reversal in the original: none added")
    return {
        "id": row["id"],
        "id_publisher": row["id_publisher"],
        "id_author": None,
        "amount": row["amount"],
        **{key: str(bank.get(key) or "")[: 255 if key.endswith("name") else 64] for key in BANK},
        "status": status,
        "requested_at": requested,
        "processed_at": processed,
        "reference": f"original:{row['id']}" if status == "paid" else None,
        "note": REJECTED_NOTE if status == "rejected" else None,
        "created_at": requested,
    }, repairs


async def import_withdrawals(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    publishers = await imported_ids(source, report, "publisher")
    banks = await _request_rows(source)
    rows = await source.fetch("SELECT * FROM withdrawal ORDER BY requested_at, id")
    table = report.table("withdrawal")
    table.source = len(rows)
    pending: set[Any] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        if row["id_publisher"] not in publishers:
            report.reject("withdrawal", "publisher missing or not imported", dict(row))
            continue
        if row["amount"] <= 0:
            report.reject("withdrawal", "negative money or zero", dict(row))
            continue
        status, status_repair = map_status(row["status"], WITHDRAWAL_STATUS, "pending")
        if status == "pending" and row["id_publisher"] in pending:
            report.reject("withdrawal", "another pending request of the same owner", dict(row))
            continue
        if status == "pending":
            pending.add(row["id_publisher"])
        withdrawal, repairs = _withdrawal(row, status, banks.get(str(row["id"]), {}))
        repairs = [r for r in (status_repair, *repairs) if r]
        if repairs:
            report.repair("withdrawal", "; ".join(repairs), dict(row))
        batch.append(withdrawal)
    await sink.write("withdrawal", batch)
    table.imported = len(batch)


def ledger_type(raw: str | None, amount: Decimal) -> tuple[str, str | None]:
    kind = LEDGER_TYPE.get((raw or "").strip().lower())
    if kind is None:
        return "adjustment", f"unknown type {raw!r}: imported as adjustment"
    if (kind in POSITIVE and amount <= 0) or (kind in NEGATIVE and amount >= 0):
        return "adjustment", f"amount sign does not fit {kind}: imported as adjustment"
    return kind, None


def _replay_key(row: asyncpg.Record, kind: str, info: dict[str, Any]) -> tuple[Any, ...] | None:
    order = info.get("id_sales") or info.get("order_id")
    if kind != "sale" or not order:
        return None
    return (row["id_publisher"], str(order), row["amount"])


async def import_ledger(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    publishers = await imported_ids(source, report, "publisher")
    withdrawals = {str(w) for w in await imported_ids(source, report, "withdrawal")}
    orders = {str(o) for o in await imported_ids(source, report, "t_sales")}
    rows = await source.fetch('SELECT * FROM "transaction" ORDER BY created_at, id')
    table = report.table("transaction")
    table.source = len(rows)
    credited: set[tuple[Any, ...]] = set()
    linked: set[str] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        if row["id_publisher"] not in publishers:
            report.reject("transaction", "publisher missing or not imported", dict(row))
            continue
        info = _info(row["info"])
        kind, repair = ledger_type(row["type"], row["amount"])
        key = _replay_key(row, kind, info)
        if key is not None and key in credited:
            report.reject("transaction", "replayed credit of the same order", dict(row))
            continue
        if key is not None:
            credited.add(key)
        if repair:
            info = {**info, "original_type": row["type"]}
            report.repair("transaction", repair, dict(row))
        request = _link(info, kind, withdrawals, linked)
        batch.append(
            {
                "id": row["id"],
                "id_publisher": row["id_publisher"],
                "id_author": None,
                "type": kind,
                "amount": row["amount"],
                "id_sales": _order(info, orders),
                "id_sales_line": None,
                "id_withdrawal": request,
                "info": info,
                "created_at": utc(row["created_at"]),
            }
        )
    await sink.write("transaction", batch)
    table.imported = len(batch)
    await compare_balances(source, sink, report, batch)


def _order(info: dict[str, Any], orders: set[str]) -> uuid.UUID | None:
    """The imported order a row names in ``info`` (the original kept no column for it)."""
    named = str(info.get("id_sales") or "")
    return uuid.UUID(named) if named in orders else None


def _link(info: dict[str, Any], kind: str, withdrawals: set[str], linked: set[str]) -> Any:
    """The imported request a ``withdrawal`` row debits (each request linked once)."""
    wanted = str(info.get("id_withdrawal") or "")
    if kind != "withdrawal" or wanted not in withdrawals or wanted in linked:
        return None
    linked.add(wanted)
    return uuid.UUID(wanted)


async def compare_balances(
    source: asyncpg.Connection, sink: Sink, report: Report, batch: list[dict[str, Any]]
) -> None:
    """Each publisher's SUM(amount) in the original against ours (read back from our ledger;
    on a dry run, from the rows the import would write)."""
    original = {
        str(row["id_publisher"]): money(row["total"])
        for row in await source.fetch(
            'SELECT id_publisher, sum(amount) AS total FROM "transaction" GROUP BY id_publisher'
        )
    }
    ours: dict[str, Decimal] = defaultdict(Decimal)
    if sink.dry_run:
        for row in batch:
            ours[str(row["id_publisher"])] += row["amount"]
    else:
        total = func.sum(type_coerce(Transaction.amount, Numeric(18, 2)))
        query = select(Transaction.id_publisher, total).where(Transaction.id_publisher.is_not(None))
        async with sink.reading() as conn:
            for owner, amount in await conn.execute(query.group_by(Transaction.id_publisher)):
                ours[str(owner)] = money(amount)
    report.balances = [
        (f"publisher {owner}", original.get(owner, money(0)), money(ours.get(owner)))
        for owner in sorted(set(original) | set(ours))
        if original.get(owner, money(0)) != money(ours.get(owner))
    ]
