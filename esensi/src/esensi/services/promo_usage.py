"""Reserving a promo code's use at checkout and giving it back when the order ends unpaid.

Both sides are single conditional statements, so concurrent checkouts cannot take more uses
than ``usage_limit`` and a replayed release cannot give a use back twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.enums import PromoStatus
from esensi.models.promo import PromoCode, PromoCodeUsage
from esensi.services.promo_rules import PromoExhaustedError


async def customer_uses(db: AsyncSession, promo_id: uuid.UUID, customer_id: uuid.UUID) -> int:
    """How many of the customer's orders hold this code and have not released it."""
    found = await db.scalar(
        select(func.count())
        .select_from(PromoCodeUsage)
        .where(
            PromoCodeUsage.id_promo_code == promo_id,
            PromoCodeUsage.id_customer == customer_id,
            PromoCodeUsage.released_at.is_(None),
        )
    )
    return int(found or 0)


async def reserve(
    db: AsyncSession,
    *,
    promo_id: uuid.UUID,
    sales_id: uuid.UUID,
    customer_id: uuid.UUID,
    discount: Decimal,
) -> None:
    """Take one use of the code for ``sales_id``.

    The caller has checked the per-customer limit (:func:`customer_uses`) while holding the
    customer's cart lock, so the customer's own count cannot race; the global limit races
    between customers and is settled here, by the database.

    Raises:
        PromoExhaustedError: 409 when the last use is gone (or the code was switched off).
    """
    taken = await db.execute(
        update(PromoCode)
        .where(
            PromoCode.id == promo_id,
            PromoCode.status == PromoStatus.ACTIVE.value,
            (PromoCode.usage_limit.is_(None)) | (PromoCode.used_count < PromoCode.usage_limit),
        )
        .values(used_count=PromoCode.used_count + 1)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
        raise PromoExhaustedError()
    db.add(
        PromoCodeUsage(
            id_promo_code=promo_id,
            id_sales=sales_id,
            id_customer=customer_id,
            discount_amount=discount,
        )
    )
    await db.flush()


async def release_promo_usage(db: AsyncSession, sales_id: uuid.UUID, *, now: dt.datetime) -> None:
    """Give back the use ``sales_id`` reserved, once: a second call (or an order without a
    code) changes nothing. Call it when an order leaves ``pending`` unpaid."""
    released = await db.execute(
        update(PromoCodeUsage)
        .where(PromoCodeUsage.id_sales == sales_id, PromoCodeUsage.released_at.is_(None))
        .values(released_at=now)
        .returning(PromoCodeUsage.id_promo_code)
        .execution_options(synchronize_session=False)
    )
    promo_id = released.scalar_one_or_none()
    if promo_id is None:
        return
    await db.execute(
        update(PromoCode)
        .where(PromoCode.id == promo_id, PromoCode.used_count > 0)
        .values(used_count=PromoCode.used_count - 1)
        .execution_options(synchronize_session=False)
    )
