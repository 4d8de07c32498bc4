"""``promo_code`` and ``midtrx`` (the payment gateway's event log).

The original never applied a promo code at checkout, so it has no usage rows and our
``promo_code_usage`` starts empty. Rules (ADR b-import-money-rules), each reported with the
full source row:
- promo codes: a publisher that was not imported, an unknown discount type, a discount that
  is not positive, a percentage above 100, or a validity that ends before it starts rejects
  the row; a code repeated by case gets ``-<first 8 hex of its id>``; status through
  :data:`PROMO_STATUS` (unknown → ``inactive``); a usage limit below 1 becomes none and the
  code inactive; ``used_count`` is clamped into 0..limit (all repaired);
- gateway events: type through :data:`MIDTRX_TYPE`; an unknown type, a payload that is not a
  JSON object or names no ``order_id``, or a negative gross amount rejects the row; a repeated
  notification (same order, transaction, status and code) is counted on the first one's
  ``received_count`` and reported. Imported events are ``ignored`` (history: we applied none).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import asyncpg

from esensi.importer.cleaning import json_value, map_status
from esensi.importer.identity import utc
from esensi.importer.links import imported_ids
from esensi.importer.report import Report
from esensi.importer.sink import Sink

DISCOUNT_TYPE = {
    "percentage": "percentage",
    "percent": "percentage",
    "persen": "percentage",
    "%": "percentage",
    "fixed": "fixed",
    "nominal": "fixed",
    "amount": "fixed",
    "flat": "fixed",
}
PROMO_STATUS = {
    "active": "active",
    "aktif": "active",
    "inactive": "inactive",
    "nonaktif": "inactive",
    "disabled": "inactive",
    "expired": "inactive",
}
MIDTRX_TYPE = {
    "notification": "notification",
    "notif": "notification",
    "webhook": "notification",
    "status": "status",
    "check": "status",
    "snap": "snap",
    "create": "snap",
    "checkout": "snap",
    "admin": "admin",
    "manage": "admin",
}
CODE_LENGTH = 64


def _promo_reason(row: asyncpg.Record, publishers: set[Any], kind: str | None) -> str | None:
    if row["id_publisher"] not in publishers:
        return "publisher missing or not imported"
    if kind is None:
        return f"unknown discount type {row['discount_type']!r}"
    if row["discount_value"] < 0:
        return "negative money"
    if row["discount_value"] == 0:
        return "discount of zero"
    if kind == "percentage" and row["discount_value"] > 100:
        return "percentage above 100"
    if row["valid_to"] <= row["valid_from"]:
        return "validity ends before it starts"
    if not (row["code"] or "").strip():
        return "code missing"
    return None


def _limits(row: asyncpg.Record) -> tuple[int | None, int, list[str]]:
    """(usage limit, used count, repairs)."""
    limit: int | None = row["usage_limit"]
    used, repairs = row["used_count"], []
    if limit is not None and limit < 1:
        limit = None
        repairs.append("usage limit below 1: none, code inactive")
    if used < 0 or (limit is not None and used > limit):
        used = min(max(used, 0), limit if limit is not None else max(used, 0))
        repairs.append("used count outside 0..limit: clamped")
    return limit, used, repairs


async def import_promo_codes(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    publishers = await imported_ids(source, report, "publisher")
    rows = await source.fetch("SELECT * FROM promo_code ORDER BY valid_from, id")
    table = report.table("promo_code")
    table.source = len(rows)
    codes: set[str] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        kind = DISCOUNT_TYPE.get((row["discount_type"] or "").strip().lower())
        reason = _promo_reason(row, publishers, kind)
        if reason is not None:
            report.reject("promo_code", reason, dict(row))
            continue
        code = row["code"].strip()[:CODE_LENGTH]
        repairs: list[str] = []
        if code.upper() in codes:
            code = f"{code[: CODE_LENGTH - 9]}-{row['id'].hex[:8]}"
            repairs.append("duplicate code (by case): suffixed")
        codes.add(code.upper())
        status, status_repair = map_status(row["status"], PROMO_STATUS, "inactive")
        limit, used, limit_repairs = _limits(row)
        if limit_repairs and row["usage_limit"] is not None and row["usage_limit"] < 1:
            status = "inactive"
        repairs += [r for r in (status_repair, *limit_repairs) if r]
        if repairs:
            report.repair("promo_code", "; ".join(repairs), dict(row))
        batch.append(
            {
                "id": row["id"],
                "code": code,
                "discount_type": kind,
                "discount_value": row["discount_value"],
                "valid_from": utc(row["valid_from"]),
                "valid_to": utc(row["valid_to"]),
                "usage_limit": limit,
                "used_count": used,
                "id_publisher": row["id_publisher"],
                "status": status,
            }
        )
    await sink.write("promo_code", batch)
    table.imported = len(batch)


def _text(payload: dict[str, Any], key: str, length: int) -> str | None:
    value = payload.get(key)
    return None if value is None or value == "" else str(value)[:length]


def _gross(payload: dict[str, Any]) -> Decimal | None:
    try:
        return Decimal(str(payload["gross_amount"]))
    except (KeyError, InvalidOperation):
        return None


def _event(row: asyncpg.Record) -> tuple[dict[str, Any] | None, str | None]:
    """(our event, None) or (None, why it is rejected)."""
    kind = MIDTRX_TYPE.get((row["type"] or "").strip().lower())
    if kind is None:
        return None, f"unknown event type {row['type']!r}"
    payload = json_value(row["payload"])
    if not isinstance(payload, dict):
        return None, "payload is not a JSON object"
    order_id = _text(payload, "order_id", 64)
    if order_id is None:
        return None, "no order_id in the payload"
    gross = _gross(payload)
    if gross is not None and gross < 0:
        return None, "negative money"
    return {
        "id": row["id"],
        "type": kind,
        "order_id": order_id,
        "transaction_id": _text(payload, "transaction_id", 64),
        "transaction_status": _text(payload, "transaction_status", 32),
        "status_code": _text(payload, "status_code", 8),
        "gross_amount": gross,
        "signature_valid": None,
        "outcome": "ignored",
        "received_count": 1,
        "payload": payload,
        "created_at": utc(row["tz"]),
    }, None


async def import_midtrx(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    rows = await source.fetch("SELECT * FROM midtrx ORDER BY tz, id")
    table = report.table("midtrx")
    table.source = len(rows)
    notifications: dict[tuple[Any, ...], dict[str, Any]] = {}
    batch: list[dict[str, Any]] = []
    for row in rows:
        event, reason = _event(row)
        if event is None:
            report.reject("midtrx", reason or "", dict(row))
            continue
        if event["type"] == "notification":
            key = tuple(event[k] for k in ("order_id", "transaction_id", "transaction_status"))
            key += (event["status_code"],)
            first = notifications.get(key)
            if first is not None:
                first["received_count"] += 1
                report.reject(
                    "midtrx", f"repeated notification: counted on {first['id']}", dict(row)
                )
                continue
            notifications[key] = event
        batch.append(event)
    await sink.write("midtrx", batch)
    table.imported = len(batch)
