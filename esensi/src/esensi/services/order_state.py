"""The order state machine (spec/workflows.md §4.3, security.md M4): one function moves an order.

Every move is one guarded ``UPDATE t_sales … WHERE id = :id AND status IN (:predecessors)
RETURNING``; zero rows means a replay or an out-of-order event and changes nothing. The effects
of a move (entitlements, ledger, notifications, emails, promo release) run in the same
transaction, only when the row actually moved, so a replay can never repeat them.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from esensi.models.enums import SalesStatus
from esensi.models.sales import TSales
from esensi.services import audit, order_effects
from rlib import Scope

logger = logging.getLogger("esensi.orders")

S = SalesStatus
PREDECESSORS: dict[SalesStatus, tuple[SalesStatus, ...]] = {
    S.PAID: (S.PENDING,),
    S.EXPIRED: (S.PENDING,),
    S.CANCELLED: (S.PENDING,),
    S.DENIED: (S.PENDING,),
    S.FAILED: (S.PENDING,),
    S.REFUNDED: (S.PAID,),
}
# Money taken for an order we had given up on: a verified settlement revives it (audited).
LATE_SETTLEMENT = (S.EXPIRED, S.CANCELLED)
TIME_COLUMN = {
    S.PAID: "paid_at",
    S.CANCELLED: "cancelled_at",
    S.REFUNDED: "refunded_at",
}


@dataclass(frozen=True, slots=True)
class Change:
    """A requested move; ``verified`` = confirmed by Midtrans' status API (money taken)."""

    to: SalesStatus
    payment_type: str | None = None
    fraud_status: str | None = None
    gateway: dict[str, Any] | None = None
    verified: bool = False
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Moved:
    """An order that moved: its ids and where it came from."""

    id: uuid.UUID
    order_id: str | None
    id_customer: uuid.UUID
    total: Any
    from_status: SalesStatus
    to_status: SalesStatus


async def transition(
    scope: Scope, sales_id: uuid.UUID, change: Change, *, now: dt.datetime, actor: audit.Actor
) -> Moved | None:
    """Apply ``change`` to order ``sales_id`` with its effects; None when it may not move now.

    A late ``pending`` or ``expire`` after ``paid`` is no move (None); a verified settlement of
    an expired or cancelled order moves it to paid and writes an audit row.
    """
    predecessors = PREDECESSORS.get(change.to)
    if predecessors is None:
        raise ValueError(f"no transition leads to {change.to}")
    moved = await _guarded(scope, sales_id, change, predecessors, now)
    if moved is None and change.to == S.PAID and change.verified:
        moved = await _guarded(scope, sales_id, change, LATE_SETTLEMENT, now)
        if moved is not None:
            await audit.record(
                scope,
                actor,
                action="order.late_settlement",
                entity="t_sales",
                entity_id=sales_id,
                before={"status": moved.from_status.value},
                after={"status": S.PAID.value},
            )
    if moved is None:
        logger.info("order transition ignored", extra={"order": str(sales_id), "to": change.to})
        return None
    await order_effects.after_move(scope, moved, reason=change.reason, now=now)
    return moved


async def mark_challenge(scope: Scope, sales_id: uuid.UUID, payment_type: str | None) -> bool:
    """``capture`` + ``challenge``: the order stays pending, flagged for staff to decide."""
    result = await scope.db.execute(
        update(TSales)
        .where(TSales.id == sales_id, TSales.status == S.PENDING.value)
        .values(fraud_status="challenge", payment_type=payment_type, version=TSales.version + 1)
        .returning(TSales.id)
    )
    return result.first() is not None


async def _guarded(
    scope: Scope,
    sales_id: uuid.UUID,
    change: Change,
    predecessors: tuple[SalesStatus, ...],
    now: dt.datetime,
) -> Moved | None:
    values: dict[str, Any] = {
        "status": change.to.value,
        "version": TSales.version + 1,
        "updated_at": now,
    }
    if change.payment_type is not None:
        values["payment_type"] = change.payment_type[:32]
    if change.fraud_status is not None:
        values["fraud_status"] = change.fraud_status
    if change.to in TIME_COLUMN:
        values[TIME_COLUMN[change.to]] = now
    if change.gateway is not None:
        column = "midtrans_success" if change.to in (S.PAID, S.REFUNDED) else "midtrans_error"
        values[column] = change.gateway
    # RETURNING gives the new row only: with one predecessor the old status is known.
    statement = (
        update(TSales)
        .where(TSales.id == sales_id, TSales.status.in_([p.value for p in predecessors]))
        .values(**values)
        .returning(TSales.id, TSales.midtrans_order_id, TSales.id_customer, TSales.total)
        .execution_options(synchronize_session=False)
    )
    row = (await scope.db.execute(statement)).first()
    if row is None:
        return None
    return Moved(
        id=row[0],
        order_id=row[1],
        id_customer=row[2],
        total=row[3],
        from_status=predecessors[0] if len(predecessors) == 1 else await _old(scope, sales_id),
        to_status=change.to,
    )


async def _old(scope: Scope, sales_id: uuid.UUID) -> SalesStatus:
    # Only the late-settlement path has two predecessors; a cancelled order carries
    # cancelled_at, an expired one does not.
    cancelled = await scope.db.scalar(select(TSales.cancelled_at).where(TSales.id == sales_id))
    return S.CANCELLED if cancelled is not None else S.EXPIRED
