"""Demo promo codes: store-wide and publisher-scoped, active, inactive, expired and used up.

``used_count`` is derived from the seeded usages by :func:`seed_promo_counts`, which runs after
every block, so it stays right at any scale.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update

from esensi.models.enums import DiscountType, PromoStatus
from esensi.models.promo import PromoCode, PromoCodeUsage
from esensi.seed.clock import at
from esensi.seed.keys import seed_id
from esensi.seed.people import publisher_id, stamps
from esensi.seed.runner import insert_rows
from rlib import Scope

if TYPE_CHECKING:
    from esensi.seed.world import Seeding


@dataclass(frozen=True, slots=True)
class Promo:
    code: str
    kind: DiscountType
    value: Decimal
    max_discount: Decimal | None = None
    min_subtotal: Decimal = Decimal(0)
    usage_limit: int | None = None
    publisher: int | None = None
    status: PromoStatus = PromoStatus.ACTIVE
    valid_to_day: float | None = None

    @property
    def id(self) -> uuid.UUID:
        return seed_id("promo_code", self.code)

    @property
    def publisher_id(self) -> uuid.UUID | None:
        return publisher_id(self.publisher) if self.publisher is not None else None

    def discount(self, eligible: Decimal) -> Decimal:
        """The discount on an eligible subtotal (spec: workflows 4.2); zero below the minimum."""
        if eligible <= 0 or eligible < self.min_subtotal:
            return Decimal(0)
        if self.kind == DiscountType.FIXED:
            return min(self.value, eligible)
        amount = (eligible * self.value / 100).quantize(Decimal("0.01"))
        return min(amount, self.max_discount) if self.max_discount is not None else amount


ESENSI10 = Promo("ESENSI10", DiscountType.PERCENTAGE, Decimal(10), max_discount=Decimal(20_000))
HEMAT15K = Promo(
    "HEMAT15K",
    DiscountType.FIXED,
    Decimal(15_000),
    min_subtotal=Decimal(50_000),
    usage_limit=100_000,
)
NUSANTARA20 = Promo(
    "NUSANTARA20", DiscountType.PERCENTAGE, Decimal(20), max_discount=Decimal(30_000), publisher=0
)
# Used by exactly one order of block 0, so it is used up at every scale.
HABIS = Promo("HABIS", DiscountType.FIXED, Decimal(10_000), usage_limit=1)
# No seeded order uses it, so every demo customer (pembaca@esensi.online too) can apply it to
# their open cart in the README's walk-through.
HEMAT10 = Promo("HEMAT10", DiscountType.PERCENTAGE, Decimal(10), max_discount=Decimal(25_000))
PROMOS = (
    ESENSI10,
    HEMAT15K,
    NUSANTARA20,
    HABIS,
    Promo("LEBARAN25", DiscountType.PERCENTAGE, Decimal(25), valid_to_day=100),
    Promo("NONAKTIF", DiscountType.FIXED, Decimal(5_000), status=PromoStatus.INACTIVE),
    HEMAT10,
)


async def seed_promos(scope: Scope, seeding: Seeding) -> int:
    rows = [
        {
            "id": promo.id,
            "code": promo.code,
            "discount_type": promo.kind.value,
            "discount_value": promo.value,
            "max_discount": promo.max_discount,
            "min_subtotal": promo.min_subtotal,
            "valid_from": at(0),
            "valid_to": at(promo.valid_to_day) if promo.valid_to_day else None,
            "usage_limit": promo.usage_limit,
            "used_count": 0,
            "per_customer_limit": 1,
            "id_publisher": promo.publisher_id,
            "status": promo.status.value,
            "version": 1,
            **stamps(at(0)),
        }
        for promo in PROMOS
    ]
    return await insert_rows(scope, PromoCode, rows)


async def seed_promo_counts(scope: Scope, seeding: Seeding) -> int:
    """Set ``used_count`` to the usages not released; returns how many codes changed."""
    live = (
        select(func.count())
        .where(PromoCodeUsage.id_promo_code == PromoCode.id, PromoCodeUsage.released_at.is_(None))
        .scalar_subquery()
    )
    ids = [promo.id for promo in PROMOS]
    result = await scope.db.execute(
        update(PromoCode)
        .where(PromoCode.id.in_(ids), PromoCode.used_count != live)
        .values(used_count=live)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
