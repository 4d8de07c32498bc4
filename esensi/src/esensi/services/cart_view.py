"""What the cart shows: lines at today's prices, the promo code and what it takes off.

The view never writes: a line whose item stopped being sold or became owned is shown with
``available: false`` and left out of the totals, and a promo code that no longer applies is
shown with its reason and no discount. Checkout refuses both until the customer acts.
Statements: the cart, then (when it has lines) lines with items, bundle contents when it holds
bundles, ownership, and the promo code with the customer's uses when one is applied.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.promo import PromoCode
from esensi.models.sales import TSales
from esensi.services import promo_rules, promo_usage
from esensi.services.cart_lines import CartLine, buyable, load_lines
from esensi.services.carts import find_cart
from rlib.db.base import utcnow

ZERO = Decimal(0)
CENT = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    """Every amount the cart shows has two places, so clients compare strings safely."""
    return Decimal(amount).quantize(CENT)


def _line(entry: CartLine, share: Decimal) -> dict[str, Any]:
    line, item = entry.line, entry.item
    return {
        "id": line.id,
        "id_product": line.id_product,
        "id_bundle": line.id_bundle,
        "name": item.name,
        "slug": item.slug,
        "cover": item.cover,
        "unit_price": money(item.price),
        "qty": line.qty,
        "total_price": money(entry.total),
        "discount_amount": money(share),
        "available": item.for_sale and not item.owned,
        "owned": item.owned,
    }


async def _promo(
    db: AsyncSession, cart: TSales, lines: list[CartLine]
) -> tuple[dict[str, Any] | None, dict[uuid.UUID, Decimal]]:
    if cart.id_promo_code is None:
        return None, {}
    row = await db.get(PromoCode, cart.id_promo_code)
    assert row is not None  # a foreign key
    terms = promo_rules.PromoTerms.of(row)
    priced = [line.priced() for line in lines]
    shown = {
        "code": row.code,
        "discount_type": row.discount_type,
        "discount_value": money(row.discount_value),
    }
    try:
        uses = await promo_usage.customer_uses(db, row.id, cart.id_customer)
        promo_rules.check(terms, priced, now=utcnow(), customer_uses=uses)
    except promo_rules.PromoRefusedError as refused:
        return {
            **shown,
            "applies": False,
            "reason": refused.reason.removeprefix("promo."),
            "discount": money(ZERO),
        }, {}
    outcome = promo_rules.evaluate(terms, priced)
    return {
        **shown,
        "applies": True,
        "reason": None,
        "discount": money(outcome.discount),
    }, outcome.shares


async def read(db: AsyncSession, customer_id: uuid.UUID) -> dict[str, Any]:
    """The customer's cart as the store shows it; an empty cart when there is none."""
    cart = await find_cart(db, customer_id, lock=False)
    lines = [] if cart is None else await load_lines(db, cart.id, customer_id)
    counted = buyable(lines)
    promo, shares = (None, {}) if cart is None else await _promo(db, cart, counted)
    subtotal = sum((line.total for line in counted), ZERO)
    discount = sum(shares.values(), ZERO)
    return {
        "id": None if cart is None else cart.id,
        "lines": [_line(line, shares.get(line.line.id, ZERO)) for line in lines],
        "promo": promo,
        "subtotal": money(subtotal),
        "discount_total": money(discount),
        "total": money(subtotal - discount),
    }
