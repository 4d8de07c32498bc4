"""Checkout (spec/workflows.md §4.4): the cart becomes a pending order, committed, then Snap.

One path: :func:`prepare` (in its own committed block) places the order, or finds the pending
order a retry is about; the caller then asks Snap (no transaction open) and ends with
:func:`snap_created` or :func:`snap_refused`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from esensi.emails import OrderCreated, OrderItem, send_main_email
from esensi.gateways.midtrans import SnapToken
from esensi.models.customer import Customer
from esensi.models.enums import MidtransEventType, MidtransOutcome, SalesStatus
from esensi.models.sales import TSales, TSalesLine
from esensi.services import audit
from esensi.services.order_ledger import Line, contents
from esensi.services.order_placement import place_order, reopen_cart_from_order
from esensi.services.order_state import Change, transition
from esensi.services.payment_sync import log_event
from esensi.services.site_links import site_url
from rlib import Scope

S = SalesStatus
PAYMENTS = [
    "credit_card",
    "bca_va",
    "bni_va",
    "bri_va",
    "permata_va",
    "other_va",
    "echannel",
    "gopay",
    "shopeepay",
    "other_qris",
]


@dataclass(frozen=True, slots=True)
class Placed:
    id: uuid.UUID
    order_id: str
    id_customer: uuid.UUID
    total: Decimal
    token: str | None
    redirect_url: str | None
    snap_body: dict[str, Any]
    lines: list[Line]
    expires_at: dt.datetime | None
    subtotal: Decimal
    discount: Decimal


async def prepare(scope: Scope, customer_id: uuid.UUID, *, email: str, now: dt.datetime) -> Placed:
    """Lock the customer's checkout, then the order to pay: a pending order left from an
    earlier attempt when the cart is empty (a retry), else a new one placed from the cart."""
    # A write first: SQLite takes its one write lock here, PostgreSQL locks the rows, so two
    # checkouts of one customer run one after the other (a double click makes one order).
    await scope.db.execute(
        update(TSales)
        .where(TSales.id_customer == customer_id, TSales.status.in_([S.CART, S.PENDING]))
        .values(version=TSales.version)
        .execution_options(synchronize_session=False)
    )
    order = await _retry_of(scope, customer_id, now)
    if order is None:
        order = await place_order(scope.db, customer_id, now=now)
    return await _placed(scope, order, email)


async def _retry_of(scope: Scope, customer_id: uuid.UUID, now: dt.datetime) -> TSales | None:
    in_cart = await scope.db.scalar(
        select(TSalesLine.id)
        .join(TSales, TSales.id == TSalesLine.id_sales)
        .where(
            TSales.id_customer == customer_id,
            TSales.status == S.CART.value,
            TSales.deleted_at.is_(None),
        )
        .limit(1)
    )
    if in_cart is not None:
        return None
    return await scope.db.scalar(
        select(TSales)
        .where(
            TSales.id_customer == customer_id,
            TSales.status == S.PENDING.value,
            TSales.expires_at > now,
            TSales.deleted_at.is_(None),
        )
        .order_by(TSales.checkout_at.desc())
        .limit(1)
    )


async def _placed(scope: Scope, order: TSales, email: str) -> Placed:
    lines = (await contents(scope, order.id)).lines
    name = await scope.db.scalar(select(Customer.name).where(Customer.id == order.id_customer))
    order_id = str(order.midtrans_order_id)
    return Placed(
        id=order.id,
        order_id=order_id,
        id_customer=order.id_customer,
        total=Decimal(order.total),
        token=order.snap_token,
        redirect_url=order.snap_redirect_url,
        snap_body=snap_body(scope, order, lines, name=str(name or ""), email=email),
        lines=lines,
        expires_at=order.expires_at,
        subtotal=Decimal(order.subtotal),
        discount=Decimal(order.discount_total),
    )


def _idr(amount: Decimal) -> int | float:
    # Midtrans takes IDR as whole numbers; a promo share may carry cents.
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def snap_body(
    scope: Scope, order: TSales, lines: list[Line], *, name: str, email: str
) -> dict[str, Any]:
    """Snap's request: items (bundles as one line each, the discount as a negative line)
    summing to the gross amount, the customer, payment methods, callbacks, 24 h expiry."""
    items = [
        {
            "id": str(line.id)[:50],
            "price": _idr(line.total_price / line.qty),
            "quantity": line.qty,
            "name": (line.name or "-")[:50],
        }
        for line in lines
    ]
    discount = Decimal(order.discount_total)
    if discount > 0:
        name_of = f"Diskon {order.promo_code or ''}".strip()[:50]
        items.append({"id": "DISCOUNT", "price": -_idr(discount), "quantity": 1, "name": name_of})
    back = site_url(scope, "main", "/payment")
    query = f"?order_id={order.midtrans_order_id}"
    return {
        "transaction_details": {
            "order_id": order.midtrans_order_id,
            "gross_amount": _idr(Decimal(order.total)),
        },
        "item_details": items,
        "customer_details": {"first_name": name[:255], "email": email},
        "enabled_payments": PAYMENTS,
        "credit_card": {"secure": True},
        "callbacks": {
            "finish": f"{back}/success{query}",
            "unfinish": f"{back}/pending{query}",
            "error": f"{back}/error{query}",
        },
        "expiry": {"unit": "hours", "duration": 24},
    }


async def snap_created(scope: Scope, placed: Placed, token: SnapToken, *, email: str) -> None:
    """Keep the token on the order, log it, and send ``order-created`` (once per order)."""
    await scope.db.execute(
        update(TSales)
        .where(TSales.id == placed.id, TSales.status == S.PENDING.value)
        .values(snap_token=token.token, snap_redirect_url=token.redirect_url)
        .execution_options(synchronize_session=False)
    )
    await log_event(
        scope,
        {"order_id": placed.order_id, "gross_amount": str(placed.total)},
        outcome=MidtransOutcome.APPLIED,
        event_type=MidtransEventType.SNAP,
    )
    name = placed.snap_body["customer_details"]["first_name"]
    await send_main_email(
        scope,
        to=email,
        template_alias="order-created",
        template_model=OrderCreated(
            name=name or "-",
            order_id=placed.order_id,
            items=[
                OrderItem(name=x.name or "-", qty=x.qty, price=x.total_price) for x in placed.lines
            ],
            subtotal=placed.subtotal,
            discount=placed.discount,
            total=placed.total,
            pay_url=token.redirect_url,
            expires_at=placed.expires_at or dt.datetime.now(dt.UTC),
        ),
        lang="en" if scope.lang == "en" else "id",
        dedupe_key=f"order-created:{placed.id}",
    )


async def snap_refused(
    scope: Scope,
    placed: Placed,
    error: dict[str, Any] | None,
    *,
    actor: audit.Actor,
    now: dt.datetime,
) -> None:
    """Snap said no for good: the order fails (promo released), its lines go back to a cart."""
    await log_event(
        scope,
        {"order_id": placed.order_id, "gross_amount": str(placed.total), "error": error},
        outcome=MidtransOutcome.ERROR,
        event_type=MidtransEventType.SNAP,
    )
    change = Change(to=S.FAILED, gateway=error, reason="Snap")
    if await transition(scope, placed.id, change, now=now, actor=actor) is None:
        return
    order = await scope.db.get(TSales, placed.id, populate_existing=True)
    if order is not None:
        await reopen_cart_from_order(scope.db, order)
