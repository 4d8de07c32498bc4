"""Midtrans' word on an order, applied through the state machine, and the gateway event log.

The webhook, the customer's status poll, staff actions and the expiry job all end here:
:func:`apply_status` maps the status API's answer to a move and makes it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from sqlalchemy import case, or_, select, text
from sqlalchemy.dialects import postgresql, sqlite

from esensi.gateways.midtrans import GatewayStatus
from esensi.models.enums import MidtransEventType, MidtransOutcome, SalesStatus
from esensi.models.sales import Midtrx, TSales
from esensi.services import audit
from esensi.services.order_state import Change, mark_challenge, transition
from rlib import Scope

S = SalesStatus
Outcome = Literal["applied", "ignored", "challenge"]
# transaction_status -> our status; capture depends on the fraud status.
TARGETS: dict[str, SalesStatus] = {
    "settlement": S.PAID,
    "expire": S.EXPIRED,
    "cancel": S.CANCELLED,
    "deny": S.DENIED,
    "failure": S.DENIED,
    "refund": S.REFUNDED,
    "partial_refund": S.REFUNDED,
}
SECRET_FIELDS = frozenset({"signature_key"})
# Midtrans order ids: letters, digits and - _ . ~ (ours are ESN-<uuid7>).
ORDER_ID = r"^[A-Za-z0-9_.~-]{1,64}$"


@dataclass(frozen=True, slots=True)
class OrderRef:
    id: uuid.UUID
    order_id: str
    id_customer: uuid.UUID
    status: str
    total: Decimal


def target_of(status: GatewayStatus) -> SalesStatus | Literal["challenge"] | None:
    """What Midtrans' status means for the order; None: nothing to do (pending, unknown)."""
    if status.transaction_status == "capture":
        fraud = status.fraud_status or "accept"
        if fraud == "challenge":
            return "challenge"
        return S.PAID if fraud == "accept" else S.DENIED
    return TARGETS.get(status.transaction_status)


async def apply_status(
    scope: Scope, order: OrderRef, status: GatewayStatus, *, now: dt.datetime, actor: audit.Actor
) -> Outcome:
    """Move ``order`` as Midtrans' ``status`` says; ``ignored`` when it may not move now."""
    target = target_of(status)
    if target == "challenge":
        changed = await mark_challenge(scope, order.id, status.payment_type)
        return "challenge" if changed else "ignored"
    if target is None:
        return "ignored"
    change = Change(
        to=target,
        payment_type=status.payment_type,
        fraud_status=status.fraud_status,
        gateway=public_payload(status.raw),
        verified=True,
        reason=status.transaction_status,
    )
    moved = await transition(scope, order.id, change, now=now, actor=actor)
    return "applied" if moved is not None else "ignored"


async def find_order(
    scope: Scope, order_id: str, *, customer_id: uuid.UUID | None = None
) -> OrderRef | None:
    """The order with Midtrans id ``order_id`` (and of ``customer_id`` when given); for the
    customer's own lookups the order's own id (``/trx/{id}``) is accepted too."""
    match = TSales.midtrans_order_id == order_id
    query = select(
        TSales.id, TSales.midtrans_order_id, TSales.id_customer, TSales.status, TSales.total
    ).where(TSales.deleted_at.is_(None), TSales.midtrans_order_id.is_not(None))
    if customer_id is not None:
        query = query.where(TSales.id_customer == customer_id)
        own_id = _uuid(order_id)
        if own_id is not None:
            match = or_(match, TSales.id == own_id)
    query = query.where(match)
    row = (await scope.db.execute(query)).first()
    if row is None:
        return None
    return OrderRef(row[0], str(row[1]), row[2], str(row[3]), Decimal(row[4]))


def _uuid(text_: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text_)
    except ValueError:
        return None


def same_amount(gross_amount: object, total: Decimal) -> bool:
    """``gross_amount`` ("45000.00") equals the stored total, compared as decimals."""
    try:
        return Decimal(str(gross_amount)) == Decimal(total)
    except (InvalidOperation, ValueError):
        return False


def public_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The event without its secrets (security.md L1: ``signature_key`` is never stored)."""
    return {k: v for k, v in payload.items() if k not in SECRET_FIELDS}


async def log_event(
    scope: Scope,
    payload: dict[str, Any],
    *,
    outcome: MidtransOutcome,
    event_type: MidtransEventType = MidtransEventType.NOTIFICATION,
    signature_valid: bool | None = None,
) -> int:
    """Record one gateway event; a replayed notification bumps ``received_count`` (returned).

    The first decisive outcome stays: a replay never turns ``applied`` into anything else.
    """
    table = Midtrx.__table__
    values = {
        "type": event_type.value,
        "order_id": str(payload.get("order_id") or "")[:64],
        "transaction_id": _text(payload.get("transaction_id"), 64),
        "transaction_status": _text(payload.get("transaction_status"), 32),
        "status_code": _text(payload.get("status_code"), 8),
        "gross_amount": _amount(payload.get("gross_amount")),
        "signature_valid": signature_valid,
        "outcome": outcome.value,
        "payload": public_payload(payload),
    }
    dialect = postgresql if scope.db.get_bind().dialect.name == "postgresql" else sqlite
    statement: Any = dialect.insert(table).values(values)
    if event_type == MidtransEventType.NOTIFICATION:
        keep = table.c.outcome == MidtransOutcome.APPLIED.value
        statement = statement.on_conflict_do_update(
            index_elements=[
                "type",
                "order_id",
                "transaction_id",
                "transaction_status",
                "status_code",
            ],
            # Literal SQL: PostgreSQL infers a partial index only from an unbound predicate.
            index_where=text("type = 'notification'"),
            set_={
                "received_count": table.c.received_count + 1,
                "outcome": _keep_applied(keep, statement.excluded.outcome),
            },
        )
    result = await scope.db.execute(statement.returning(table.c.received_count))
    return int(result.scalar_one())


def _keep_applied(keep: Any, new: Any) -> Any:
    return case((keep, MidtransOutcome.APPLIED.value), else_=new)


def _text(value: object, limit: int) -> str | None:
    return None if value is None else str(value)[:limit]


def _amount(value: object) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and 0 <= amount < Decimal("1e12") else None
