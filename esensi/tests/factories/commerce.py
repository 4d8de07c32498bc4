"""Carts and promo codes for the cart, promo and checkout tests."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.bundle import Bundle
from esensi.models.product import Product
from esensi.models.promo import PromoCode
from esensi.models.sales import TSales, TSalesLine


async def _add(db: AsyncSession, row: Any) -> Any:
    db.add(row)
    await db.flush()
    return row


async def make_promo(db: AsyncSession, **overrides: Any) -> PromoCode:
    """An active store-wide 10% code, valid since yesterday, without limits but one per customer."""
    values = {
        "code": f"PROMO{uuid.uuid4().hex[:6].upper()}",
        "discount_type": "percentage",
        "discount_value": Decimal(10),
        "valid_from": dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
        **overrides,
    }
    return await _add(db, PromoCode(**values))


async def make_cart(
    db: AsyncSession,
    customer_id: uuid.UUID,
    *items: Product | Bundle,
    promo: PromoCode | None = None,
    qty: int = 1,
) -> TSales:
    """The customer's cart holding each item at its price (bundles at ``qty``)."""
    cart = await _add(
        db,
        TSales(
            id_customer=customer_id,
            status="cart",
            id_promo_code=None if promo is None else promo.id,
            promo_code=None if promo is None else promo.code,
        ),
    )
    for item in items:
        is_product = isinstance(item, Product)
        count = 1 if is_product else qty
        await _add(
            db,
            TSalesLine(
                id_sales=cart.id,
                id_product=item.id if is_product else None,
                id_bundle=None if is_product else item.id,
                unit_price=item.real_price,
                qty=count,
                total_price=item.real_price * count,
            ),
        )
    return cart
