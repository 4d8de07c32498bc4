"""Turning the customer's cart into a pending order (spec/workflows.md §4.4 steps 2 to 4), and
turning a failed order back into a cart.

The checkout endpoint calls :func:`place_order` inside its request transaction and commits; the
Snap call comes after. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.enums import SalesStatus
from esensi.models.promo import PromoCode
from esensi.models.sales import TSales, TSalesLine
from esensi.services import promo_rules, promo_usage
from esensi.services.cart_lines import CartLine, load_lines, refuse_unsellable
from esensi.services.carts import MAX_LINES, find_cart, open_cart
from rlib import ValidationError
from rlib.db.ids import uuid7

ORDER_LIFETIME = dt.timedelta(hours=24)
ZERO = Decimal(0)


class CartEmptyError(ValidationError):
    """422: there is nothing to check out."""

    code = "cart_empty"
    key = "cart.empty"


async def place_order(session: AsyncSession, customer_id: uuid.UUID, *, now: dt.datetime) -> TSales:
    """Make the customer's cart a ``pending`` order priced from the database, and return it.

    Locks the cart row (``FOR UPDATE``; SQLite serialises writers itself), re-prices every
    line, re-checks the promo code under the same rules as the cart and reserves one use of it.
    A promo code that no longer applies is never dropped silently (the customer would pay more
    than the cart showed): checkout fails with the same 422 reason the cart shows, or 409
    "Kode promo sudah habis" when its last use went to someone else; the customer removes the
    code (``cart_promo {code: null}``) and checks out again.

    Raises:
        CartEmptyError: 422, no cart or a cart without lines.
        ItemNotForSaleError: 422, a line's product or bundle is no longer sold.
        ItemOwnedError: 409, a line's books are already in the customer's library.
        PromoRefusedError: 422, the code's rules refuse this cart now.
        PromoExhaustedError: 409, no use of the code is left.
    """
    cart = await find_cart(session, customer_id, lock=True)
    lines = [] if cart is None else await load_lines(session, cart.id, customer_id)
    if cart is None or not lines:
        raise CartEmptyError()
    refuse_unsellable(lines)
    shares = await _reserve_promo(session, cart, lines, now=now)
    _price(cart, lines, shares)
    cart.midtrans_order_id = f"ESN-{uuid7()}"
    cart.checkout_at = now
    cart.expires_at = now + ORDER_LIFETIME
    cart.status = SalesStatus.PENDING.value
    cart.version += 1
    await session.flush()
    return cart


async def _reserve_promo(
    db: AsyncSession, cart: TSales, lines: list[CartLine], *, now: dt.datetime
) -> dict[uuid.UUID, Decimal]:
    if cart.id_promo_code is None:
        return {}
    row = await db.get(PromoCode, cart.id_promo_code, populate_existing=True)
    assert row is not None  # a foreign key
    terms = promo_rules.PromoTerms.of(row)
    priced = [line.priced() for line in lines]
    uses = await promo_usage.customer_uses(db, terms.promo_id, cart.id_customer)
    try:
        promo_rules.check(terms, priced, now=now, customer_uses=uses)
    except promo_rules.PromoRefusedError as refused:
        if refused.reason == "promo.exhausted":
            raise promo_rules.PromoExhaustedError() from refused
        raise
    outcome = promo_rules.evaluate(terms, priced)
    await promo_usage.reserve(
        db,
        promo_id=terms.promo_id,
        sales_id=cart.id,
        customer_id=cart.id_customer,
        discount=outcome.discount,
    )
    return outcome.shares


def _price(cart: TSales, lines: list[CartLine], shares: dict[uuid.UUID, Decimal]) -> None:
    for entry in lines:
        entry.line.unit_price = entry.item.price
        entry.line.total_price = entry.total
        entry.line.discount_amount = shares.get(entry.line.id, ZERO)
    cart.subtotal = sum((entry.total for entry in lines), ZERO)
    cart.discount_total = sum(shares.values(), ZERO)
    cart.total = cart.subtotal - cart.discount_total


async def reopen_cart_from_order(session: AsyncSession, order: TSales) -> None:
    """Copy a failed order's lines into the customer's cart (made if none), skipping items the
    customer now owns or the store no longer sells, items the cart already holds and lines past
    the cart's 50. The promo
    code is not carried over: its use was released with the order and is re-applied by hand."""
    lines = await load_lines(session, order.id, order.id_customer)
    keep = [line for line in lines if line.item.for_sale and not line.item.owned]
    if not keep:
        return
    cart = await open_cart(session, order.id_customer)
    rows = await session.execute(
        select(TSalesLine.id_product, TSalesLine.id_bundle).where(TSalesLine.id_sales == cart.id)
    )
    held = {(row[0], row[1]) for row in rows}
    for entry in keep:
        key = (entry.line.id_product, entry.line.id_bundle)
        if key in held or len(held) >= MAX_LINES:
            continue
        held.add(key)
        session.add(
            TSalesLine(
                id_sales=cart.id,
                id_product=entry.line.id_product,
                id_bundle=entry.line.id_bundle,
                unit_price=entry.item.price,
                qty=entry.line.qty,
                total_price=entry.total,
            )
        )
    await session.flush()
