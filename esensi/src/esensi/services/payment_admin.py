"""Staff payment actions (spec/workflows.md §4.6): Midtrans first, then the state machine,
then an audit row; a staff member never writes an order's status directly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from esensi.gateways.midtrans import (
    GatewayRejected,
    GatewayStatus,
    GatewayUnavailable,
    MidtransClient,
)
from esensi.models.enums import SalesStatus
from esensi.services import audit
from esensi.services.order_state import Change, transition
from esensi.services.payment_errors import GatewayDownError, OrderNotFoundError, OrderStateError
from esensi.services.payment_sync import apply_status, find_order
from rlib import Scope

AdminAction = Literal["approve", "deny", "cancel", "expire", "status", "refund"]
S = SalesStatus
# Which status each action needs before Midtrans is asked.
NEEDS: dict[str, tuple[str, ...]] = {
    "approve": (S.PENDING,),
    "deny": (S.PENDING,),
    "cancel": (S.PENDING,),
    "expire": (S.PENDING,),
    "refund": (S.PAID,),
    "status": (S.PENDING, S.PAID, S.EXPIRED, S.CANCELLED, S.DENIED, S.FAILED, S.REFUNDED),
}
# A pending order Midtrans never saw (no payment method chosen) is closed here alone.
LOCAL = {"cancel": S.CANCELLED, "expire": S.EXPIRED}


@dataclass(frozen=True, slots=True)
class AdminResult:
    order_id: str
    before: str
    status: str
    outcome: str
    gateway_status: str | None


async def act(
    scope: Scope,
    client: MidtransClient,
    order_id: str,
    action: AdminAction,
    *,
    actor: audit.Actor,
    now: dt.datetime,
) -> AdminResult:
    """Run ``action`` on order ``order_id`` and record it; 404 unknown, 409 wrong status."""
    async with scope.unit.transaction():
        order = await find_order(scope, order_id)
    if order is None:
        raise OrderNotFoundError()
    if order.status not in NEEDS[action]:
        raise OrderStateError()
    answer = await _ask(client, order_id, action)
    if answer is None:  # Midtrans does not know it: close it here
        moved = await transition(scope, order.id, Change(to=LOCAL[action]), now=now, actor=actor)
        outcome = "applied" if moved is not None else "ignored"
    else:
        outcome = await apply_status(scope, order, answer, now=now, actor=actor)
    after = await find_order(scope, order_id)
    status = after.status if after is not None else order.status
    await audit.record(
        scope,
        actor,
        action=f"order.{action}",
        entity="t_sales",
        entity_id=order.id,
        before={"status": order.status},
        after={"status": status, "gateway": answer.transaction_status if answer else None},
    )
    return AdminResult(
        order_id, order.status, status, outcome, answer.transaction_status if answer else None
    )


async def _ask(client: MidtransClient, order_id: str, action: AdminAction) -> GatewayStatus | None:
    try:
        if action == "status":
            return await client.status(order_id)
        return await client.action(order_id, action)
    except GatewayUnavailable as exc:
        raise GatewayDownError() from exc
    except GatewayRejected as exc:
        if exc.status == 404 and action in LOCAL:
            return None
        raise OrderStateError() from exc
