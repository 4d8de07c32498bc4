"""The Midtrans notification (spec/workflows.md §4.5, security.md §13), off HTTP.

Refusals (bad signature, unknown order, wrong amount) are logged in ``midtrx`` in a unit of
their own, so the log survives the error answer; the order never changes on them.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from esensi.gateways.midtrans import (
    GatewayError,
    GatewayStatus,
    MidtransClient,
    signature_matches,
)
from esensi.models.enums import ActorType, MidtransOutcome
from esensi.services import audit
from esensi.services.payment_errors import (
    AmountMismatchError,
    GatewayDownError,
    OrderNotFoundError,
    SignatureError,
)
from esensi.services.payment_sync import OrderRef, apply_status, find_order, log_event, same_amount
from rlib import Scope

logger = logging.getLogger("esensi.payments")
REQUIRED = ("order_id", "status_code", "gross_amount", "signature_key")
GATEWAY = audit.Actor(None, ActorType.GATEWAY)
R = MidtransOutcome


async def _log_apart(scope: Scope, payload: dict[str, Any], *, signature_valid: bool) -> None:
    async with scope.unit.separately() as unit:
        await log_event(Scope(unit), payload, outcome=R.REJECTED, signature_valid=signature_valid)


async def receive(
    scope: Scope,
    payload: dict[str, Any],
    *,
    client: MidtransClient,
    server_key: str,
    now: dt.datetime,
) -> str:
    """Check, confirm and apply one notification; returns the outcome (applied, ignored…).

    Raises:
        SignatureError (401), OrderNotFoundError (404), AmountMismatchError (400),
        GatewayDownError (503, Midtrans retries).
    """
    order_id = str(payload["order_id"])
    if not signature_matches(payload, server_key):
        logger.warning("midtrans signature rejected", extra={"order_id": order_id[:64]})
        await _log_apart(scope, payload, signature_valid=False)
        raise SignatureError()
    async with scope.unit.transaction():  # ends before the status call: no lock held while waiting
        order = await find_order(scope, order_id)
    if order is None or not same_amount(payload["gross_amount"], order.total):
        why = "unknown order" if order is None else "amount mismatch"
        logger.warning(f"midtrans {why}", extra={"order_id": order_id[:64]})
        await _log_apart(scope, payload, signature_valid=True)
        raise OrderNotFoundError() if order is None else AmountMismatchError()
    status = await confirm(client, order)
    outcome = await apply_status(scope, order, status, now=now, actor=GATEWAY)
    logged = R.APPLIED if outcome != "ignored" else R.IGNORED
    await log_event(scope, payload, outcome=logged, signature_valid=True)
    return outcome


async def confirm(client: MidtransClient, order: OrderRef) -> GatewayStatus:
    """Midtrans' own status of ``order`` (security.md M3); 503 when it cannot be had."""
    try:
        status = await client.status(order.order_id)
    except GatewayError as exc:
        logger.warning("midtrans status unavailable", extra={"order_id": order.order_id})
        raise GatewayDownError() from exc
    if status.gross_amount is not None and not same_amount(status.gross_amount, order.total):
        logger.warning("midtrans status amount mismatch", extra={"order_id": order.order_id})
        raise AmountMismatchError()
    return status
