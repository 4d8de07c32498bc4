"""TEMPORARY until helper b's ``services/promo_usage.py`` is merged (branch w-b): the same
signature, so order_effects' call site switches import only. Gives back an order's promo use."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.promo import PromoCode, PromoCodeUsage


async def release_promo_usage(db: AsyncSession, sales_id: uuid.UUID, *, now: dt.datetime) -> None:
    """Release ``sales_id``'s promo use once; a second call changes nothing."""
    released = await db.execute(
        update(PromoCodeUsage)
        .where(PromoCodeUsage.id_sales == sales_id, PromoCodeUsage.released_at.is_(None))
        .values(released_at=now)
        .returning(PromoCodeUsage.id_promo_code)
        .execution_options(synchronize_session=False)
    )
    promo_id = released.scalar()
    if promo_id is not None:
        await db.execute(
            update(PromoCode)
            .where(PromoCode.id == promo_id, PromoCode.used_count > 0)
            .values(used_count=PromoCode.used_count - 1)
            .execution_options(synchronize_session=False)
        )
