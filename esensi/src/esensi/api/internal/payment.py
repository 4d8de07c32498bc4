"""Payments admin: Midtrans actions on an order, applied through the order state machine."""

from __future__ import annotations

from typing import cast

from pydantic import BaseModel, ConfigDict, Field

from esensi.api.internal.actors import staff_actor
from esensi.gateways.midtrans import MidtransClient
from esensi.services import payment_admin
from esensi.services.payment_admin import AdminAction
from esensi.services.payment_errors import GatewayDownError, OrderNotFoundError, OrderStateError
from esensi.services.payment_sync import ORDER_ID
from esensi.settings import Settings
from esensi.users import require_staff
from rlib import Ctx, define_api
from rlib.db.base import utcnow

PAYMENT_STAFF = ("internal:support", "internal:management")  # spec/endpoints.md §5


class ManageInput(BaseModel):
    model_config = ConfigDict(extra="ignore")

    order_id: str = Field(min_length=1, max_length=64, pattern=ORDER_ID)
    action: AdminAction


class ManageRead(BaseModel):
    order_id: str
    before: str
    status: str
    outcome: str
    gateway_status: str | None


@define_api(
    name="manage_transaction",
    url="/payment/manage",
    methods=("POST",),
    auth=PAYMENT_STAFF,
    errors=(OrderNotFoundError, OrderStateError, GatewayDownError),
)
async def manage_transaction(ctx: Ctx, payload: ManageInput) -> ManageRead:
    """approve / deny (a challenged payment), cancel, expire, status: support or management;
    refund: management only. Midtrans is asked first; its answer moves the order; audited."""
    if payload.action == "refund":
        require_staff(ctx, "management")
    settings = cast(Settings, ctx.settings)
    result = await payment_admin.act(
        ctx,
        MidtransClient(settings.midtrans),
        payload.order_id,
        payload.action,
        actor=staff_actor(ctx),
        now=utcnow(),
    )
    return ManageRead(
        order_id=result.order_id,
        before=result.before,
        status=result.status,
        outcome=result.outcome,
        gateway_status=result.gateway_status,
    )
