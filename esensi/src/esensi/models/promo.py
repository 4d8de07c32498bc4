"""Promo codes and their use by orders."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, func
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import Base, fk, non_negative, status_column
from esensi.models.enums import DiscountType, PromoStatus
from rlib.db.base import CreatedAt, Timestamps, UUIDPrimaryKey, Versioned, utcnow, vocabulary_check
from rlib.db.types import BoundedInteger, BoundedNumeric, BoundedString, UtcDateTime


class PromoCode(UUIDPrimaryKey, Versioned, Timestamps, Base):
    """A discount code; ``used_count`` is reserved atomically at checkout."""

    __tablename__ = "promo_code"
    __table_args__ = (
        vocabulary_check("discount_type", DiscountType, "discount_type"),
        vocabulary_check("status", PromoStatus, "status"),
        CheckConstraint("discount_value > 0", name="discount_value_positive"),
        CheckConstraint(
            "discount_type <> 'percentage' OR discount_value <= 100", name="percentage_max"
        ),
        *non_negative("max_discount", "min_subtotal", "per_customer_limit"),
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="valid_range"),
        CheckConstraint("usage_limit > 0", name="usage_limit_positive"),
        CheckConstraint(
            "used_count >= 0 AND (usage_limit IS NULL OR used_count <= usage_limit)",
            name="used_count_range",
        ),
    )

    code: Mapped[str] = mapped_column(BoundedString(64))
    discount_type: Mapped[str] = mapped_column(BoundedString(16))
    discount_value: Mapped[Decimal] = mapped_column(BoundedNumeric)
    # Cap of a percentage discount.
    max_discount: Mapped[Decimal | None] = mapped_column(BoundedNumeric)
    min_subtotal: Mapped[Decimal] = mapped_column(
        BoundedNumeric, default=Decimal(0), server_default="0"
    )
    valid_from: Mapped[dt.datetime] = mapped_column(
        UtcDateTime, default=utcnow, server_default=func.now()
    )
    valid_to: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    usage_limit: Mapped[int | None] = mapped_column(BoundedInteger)
    used_count: Mapped[int] = mapped_column(BoundedInteger, default=0, server_default="0")
    per_customer_limit: Mapped[int] = mapped_column(BoundedInteger, default=1, server_default="1")
    # Null: the whole store; set: only lines whose ledger owner is this publisher.
    id_publisher: Mapped[uuid.UUID | None] = mapped_column(fk("publisher.id"), index=True)
    status: Mapped[str] = status_column(PromoStatus.ACTIVE)


Index("ix_promo_code_upper_code", func.upper(PromoCode.code), unique=True)


class PromoCodeUsage(UUIDPrimaryKey, CreatedAt, Base):
    """A code applied to an order; ``released_at`` when the order ends unpaid."""

    __tablename__ = "promo_code_usage"
    # Leads with id_promo_code, so it is also that foreign key's index.
    __table_args__ = (
        *non_negative("discount_amount"),
        Index(None, "id_promo_code", "id_customer"),
    )

    id_promo_code: Mapped[uuid.UUID] = mapped_column(fk("promo_code.id"))
    # Unique: one code per order.
    id_sales: Mapped[uuid.UUID] = mapped_column(fk("t_sales.id"), unique=True)
    id_customer: Mapped[uuid.UUID] = mapped_column(fk("customer.id"), index=True)
    discount_amount: Mapped[Decimal] = mapped_column(BoundedNumeric)
    released_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
