"""Payments on the store: the Midtrans webhook, the customer's status poll, the Snap config."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field

from esensi.gateways.midtrans import GatewayError, MidtransClient
from esensi.models.enums import ActorType, SalesStatus
from esensi.services import audit, payment_webhook
from esensi.services.order_ledger import contents
from esensi.services.payment_errors import (
    AmountMismatchError,
    GatewayDownError,
    OrderNotFoundError,
    SignatureError,
)
from esensi.services.payment_sync import ORDER_ID, apply_status, find_order
from esensi.settings import Settings
from esensi.users import require_customer
from rlib import Ctx, FieldError, ValidationError, define_api
from rlib.db.base import utcnow
from rlib.limits import parse_json

WEBHOOK_MAX_BYTES = 64 * 1024


def settings_of(ctx: Ctx) -> Settings:
    return cast(Settings, ctx.settings)


def midtrans_of(ctx: Ctx) -> MidtransClient:
    return MidtransClient(settings_of(ctx).midtrans)


class WebhookAnswer(BaseModel):
    success: bool


def _notification(body: bytes) -> dict[str, Any]:
    value = parse_json(body, max_depth=16) if body else None
    if not isinstance(value, dict):
        raise ValidationError([FieldError(loc=("body",), key="v.object")])
    # Midtrans sends each of them as a string ("gross_amount": "45000.00").
    missing = [k for k in payment_webhook.REQUIRED if not isinstance(value.get(k), str)]
    if missing:
        raise ValidationError([FieldError(loc=("body", k), key="v.missing") for k in missing])
    if not re.fullmatch(ORDER_ID, str(value["order_id"])):
        raise ValidationError([FieldError(loc=("body", "order_id"), key="v.invalid")])
    return value


@define_api(
    name="midtrans_notification",
    url="/api/midtrans/notification",
    aliases=("/api/payment/webhook",),
    methods=("POST",),
    auth="gateway",
    body="raw",
    max_body_bytes=WEBHOOK_MAX_BYTES,
    errors=(SignatureError, OrderNotFoundError, AmountMismatchError, GatewayDownError),
)
async def midtrans_notification(ctx: Ctx) -> WebhookAnswer:
    """Midtrans' payment notification: signature checked, status confirmed with Midtrans,
    applied once through the order state machine; replays answer 200 and change nothing."""
    payload = _notification(ctx.body)
    key = settings_of(ctx).midtrans.server_key.get_secret_value()
    await payment_webhook.receive(
        ctx, payload, client=midtrans_of(ctx), server_key=key, now=utcnow()
    )
    return WebhookAnswer(success=True)


class OrderStatusInput(BaseModel):
    model_config = ConfigDict(extra="ignore")

    order_id: str = Field(min_length=1, max_length=64, pattern=ORDER_ID)


class OrderItemRead(BaseModel):
    name: str
    qty: int
    price: Decimal


class OrderStatusRead(BaseModel):
    order_id: str
    status: str
    items: list[OrderItemRead]
    total: Decimal


@define_api(
    name="check_order_status",
    url="/api/payment/status",
    methods=("POST",),
    auth="customer",
    errors=(OrderNotFoundError,),
)
async def check_order_status(ctx: Ctx, payload: OrderStatusInput) -> OrderStatusRead:
    """The caller's own order; while pending, Midtrans is asked and its answer applied through
    the state machine (an unreachable Midtrans leaves the order as it is)."""
    customer_id = require_customer(ctx)
    async with ctx.transaction():
        order = await find_order(ctx, payload.order_id, customer_id=customer_id)
    if order is None:
        raise OrderNotFoundError()
    status = order.status
    if status == SalesStatus.PENDING:
        try:
            answer = await payment_webhook.confirm(midtrans_of(ctx), order)
        except (GatewayDownError, AmountMismatchError, GatewayError):
            answer = None
        if answer is not None:
            actor = audit.Actor(None, ActorType.GATEWAY)
            outcome = await apply_status(ctx, order, answer, now=utcnow(), actor=actor)
            if outcome == "applied":
                found = await find_order(ctx, payload.order_id, customer_id=customer_id)
                status = found.status if found is not None else status
    lines = (await contents(ctx, order.id)).lines
    return OrderStatusRead(
        order_id=order.order_id,
        status=status,
        items=[OrderItemRead(name=x.name, qty=x.qty, price=x.total_price) for x in lines],
        total=order.total,
    )


class SnapConfig(BaseModel):
    client_key: str
    snap_url: str
    is_production: bool


@define_api(name="snap_config", url="/api/payment/config", methods=("GET", "POST"), auth="public")
async def snap_config(ctx: Ctx) -> SnapConfig:
    """What the browser needs to open Snap: the public client key and snap.js URL."""
    midtrans = settings_of(ctx).midtrans
    return SnapConfig(
        client_key=midtrans.client_key,
        snap_url=midtrans.snap_js_url,
        is_production=midtrans.is_production,
    )
