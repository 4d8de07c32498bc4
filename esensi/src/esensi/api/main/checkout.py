"""The single checkout: the cart becomes a pending order, then Midtrans Snap gives the token."""

from __future__ import annotations

import logging
from typing import Any, cast

from pydantic import BaseModel, ConfigDict

from esensi.gateways.midtrans import GatewayRejected, GatewayUnavailable, MidtransClient
from esensi.models.enums import ActorType
from esensi.services import audit, checkout, idempotency
from esensi.services.cart_lines import ItemNotForSaleError, ItemOwnedError
from esensi.services.order_placement import CartEmptyError
from esensi.services.payment_errors import (
    EmailNotVerifiedError,
    GatewayDownError,
    IdempotencyBusyError,
    IdempotencyMismatchError,
    PaymentCreateError,
)
from esensi.services.promo_rules import PromoExhaustedError, PromoRefusedError
from esensi.settings import Settings
from esensi.users import require_customer
from rlib import Ctx, define_api
from rlib.db.base import utcnow
from rlib.scope import User

logger = logging.getLogger("esensi.checkout")


class CheckoutInput(BaseModel):
    """Nothing: the order is the caller's cart, priced from the database."""

    model_config = ConfigDict(extra="ignore")


class CheckoutRead(BaseModel):
    order_id: str
    token: str
    redirect_url: str
    client_key: str
    snap_url: str


def _email(user: User | None) -> str:
    if user is None or not getattr(user, "email_verified", False):
        raise EmailNotVerifiedError()
    return str(getattr(user, "email", "") or "")


@define_api(
    name="checkout",
    url="/checkout",
    methods=("POST",),
    auth="customer",
    errors=(
        EmailNotVerifiedError,
        PaymentCreateError,
        GatewayDownError,
        IdempotencyMismatchError,
        IdempotencyBusyError,
        PromoRefusedError,
        PromoExhaustedError,
        CartEmptyError,
        ItemNotForSaleError,
        ItemOwnedError,
    ),
)
async def checkout_endpoint(ctx: Ctx, payload: CheckoutInput) -> CheckoutRead:
    """Place the cart as a pending order (re-priced, promo reserved) and open Snap for it.
    A retry — or the same ``Idempotency-Key`` — answers for the same order; Snap refusing
    fails the order and puts its lines back in the cart (502); Snap unreachable keeps it
    pending for the next try (503)."""
    customer_id = require_customer(ctx)
    email = _email(ctx.user)
    header = ctx.req.headers.get("idempotency-key")
    if header is None:
        return CheckoutRead.model_validate(await _checkout(ctx, customer_id, email))
    key = idempotency.check_key(header)
    owner = f"{customer_id}:checkout"
    now = utcnow()
    claim = await idempotency.claim(ctx, owner=owner, key=key, body=ctx.body, now=now)
    if claim.id is None:
        return CheckoutRead.model_validate(claim.replay)
    try:
        answer = await _checkout(ctx, customer_id, email)
        # Committed here, not at the edge: a commit that fails must still free the claim.
        async with ctx.transaction():
            await idempotency.store(ctx, owner=owner, key=key, answer=answer)
    except BaseException as exc:
        await _release(ctx)
        await idempotency.abandon(ctx, claim, now=not idempotency.pool_exhausted(exc))
        raise
    return CheckoutRead.model_validate(answer)


async def _release(ctx: Ctx) -> None:
    """Give the request's connection back before the claim is freed: freeing takes a
    connection of its own, and a request holding one while it waits for another starves a
    busy pool (battery F1). A connection the database dropped may fail to roll back; that
    must not keep the claim from being freed (battery F3: the retry met 409 for seconds)."""
    try:
        await ctx.unit.rollback()
    except Exception as exc:
        logger.warning("checkout rollback failed (%s); connection dropped", type(exc).__name__)
    try:
        await ctx.unit.close()
    except Exception as exc:
        logger.warning("checkout connection not returned cleanly (%s)", type(exc).__name__)


async def _checkout(ctx: Ctx, customer_id: Any, email: str) -> dict[str, str]:
    settings = cast(Settings, ctx.settings).midtrans
    now = utcnow()
    async with ctx.transaction():  # the order is committed before Snap is asked
        placed = await checkout.prepare(ctx, customer_id, email=email, now=now)
    token, redirect = placed.token, placed.redirect_url
    if token is None or redirect is None:
        try:
            snap = await MidtransClient(settings).create_snap(placed.snap_body)
        except GatewayRejected as exc:
            actor = audit.Actor(None, ActorType.GATEWAY)
            async with ctx.transaction():
                await checkout.snap_refused(ctx, placed, _error(exc.body), actor=actor, now=now)
            raise PaymentCreateError() from exc
        except GatewayUnavailable as exc:
            raise GatewayDownError() from exc
        await checkout.snap_created(ctx, placed, snap, email=email)
        token, redirect = snap.token, snap.redirect_url
    return {
        "order_id": placed.order_id,
        "token": token,
        "redirect_url": redirect,
        "client_key": settings.client_key,
        "snap_url": settings.snap_js_url,
    }


def _error(body: object) -> dict[str, Any] | None:
    return cast(dict[str, Any], body) if isinstance(body, dict) else None
