"""Carts and orders (t_sales), their lines, and the payment gateway event log."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esensi.models.base import (
    LIVE,
    SENSITIVE,
    Base,
    Currency,
    fk,
    non_negative,
    partial_unique,
    status_column,
)
from esensi.models.bundle import Bundle
from esensi.models.customer import Customer
from esensi.models.enums import FraudStatus, MidtransEventType, MidtransOutcome, SalesStatus
from esensi.models.product import Product
from rlib.db.base import (
    CreatedAt,
    SoftDelete,
    Timestamps,
    UUIDPrimaryKey,
    Versioned,
    vocabulary_check,
)
from rlib.db.types import (
    BoundedInteger,
    BoundedNumeric,
    BoundedSmallInteger,
    BoundedString,
    UtcDateTime,
    json_type,
)

# round(): on SQLite numeric values are floats, so an exact product or difference can miss by 1e-12.
SALES_TOTAL = "total = round(subtotal - discount_total, 2)"
LINE_TOTAL = "total_price = round(unit_price * qty, 2)"


class TSales(UUIDPrimaryKey, Currency, Versioned, SoftDelete, Timestamps, Base):
    """A cart (status ``cart``) or an order; status moves only through the order state machine."""

    __tablename__ = "t_sales"
    # (id_customer, status, created_at) leads with id_customer: it is also that FK's index.
    __table_args__ = (
        vocabulary_check("status", SalesStatus, "status"),
        vocabulary_check("fraud_status", FraudStatus, "fraud_status"),
        *non_negative("subtotal", "discount_total", "total"),
        CheckConstraint(SALES_TOTAL, name="total_sum"),
        partial_unique("id_customer", where=f"status = 'cart' AND {LIVE}", name="uq_t_sales_cart"),
        partial_unique("midtrans_order_id", where="midtrans_order_id IS NOT NULL"),
        Index(None, "id_customer", "status", "created_at"),
        Index(None, "status", "created_at"),
    )

    id_customer: Mapped[uuid.UUID] = mapped_column(fk("customer.id"))
    status: Mapped[str] = status_column(SalesStatus.CART)
    subtotal: Mapped[Decimal] = mapped_column(
        BoundedNumeric, default=Decimal(0), server_default="0"
    )
    discount_total: Mapped[Decimal] = mapped_column(
        BoundedNumeric, default=Decimal(0), server_default="0"
    )
    total: Mapped[Decimal] = mapped_column(BoundedNumeric, default=Decimal(0), server_default="0")
    id_promo_code: Mapped[uuid.UUID | None] = mapped_column(fk("promo_code.id"), index=True)
    promo_code: Mapped[str | None] = mapped_column(BoundedString(64))
    # Customer details as sent to Midtrans; never secrets.
    info: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    midtrans_order_id: Mapped[str | None] = mapped_column(BoundedString(64))
    snap_token: Mapped[str | None] = mapped_column(BoundedString(128), info=SENSITIVE)
    snap_redirect_url: Mapped[str | None] = mapped_column(BoundedString(512))
    payment_type: Mapped[str | None] = mapped_column(BoundedString(32))
    fraud_status: Mapped[str | None] = mapped_column(BoundedString(16))
    midtrans_success: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    midtrans_pending: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    midtrans_error: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    checkout_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    paid_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refunded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    customer: Mapped[Customer] = relationship(lazy="raise")
    lines: Mapped[list[TSalesLine]] = relationship(back_populates="sales", lazy="raise")


class TSalesLine(UUIDPrimaryKey, CreatedAt, Base):
    """One product or one bundle in a cart or order, priced from the database at checkout."""

    __tablename__ = "t_sales_line"
    # (id_sales, id_product) leads with id_sales: it is also that FK's index.
    __table_args__ = (
        CheckConstraint("(id_product IS NULL) <> (id_bundle IS NULL)", name="one_item"),
        CheckConstraint("qty BETWEEN 1 AND 10", name="qty_range"),
        *non_negative("unit_price", "total_price", "discount_amount"),
        CheckConstraint(LINE_TOTAL, name="total_price_product"),
        UniqueConstraint("id_sales", "id_product"),
        UniqueConstraint("id_sales", "id_bundle"),
    )

    id_sales: Mapped[uuid.UUID] = mapped_column(fk("t_sales.id", ondelete="CASCADE"))
    id_product: Mapped[uuid.UUID | None] = mapped_column(fk("product.id"), index=True)
    id_bundle: Mapped[uuid.UUID | None] = mapped_column(fk("bundle.id"), index=True)
    unit_price: Mapped[Decimal] = mapped_column(BoundedNumeric)
    qty: Mapped[int] = mapped_column(BoundedSmallInteger, default=1, server_default="1")
    total_price: Mapped[Decimal] = mapped_column(BoundedNumeric)
    # This line's share of the order's promo discount.
    discount_amount: Mapped[Decimal] = mapped_column(
        BoundedNumeric, default=Decimal(0), server_default="0"
    )

    sales: Mapped[TSales] = relationship(back_populates="lines", lazy="raise")
    product: Mapped[Product | None] = relationship(lazy="raise")
    bundle: Mapped[Bundle | None] = relationship(lazy="raise")


class Midtrx(UUIDPrimaryKey, CreatedAt, Base):
    """A payment gateway event as received (secrets removed), with what we did with it."""

    __tablename__ = "midtrx"
    __table_args__ = (
        vocabulary_check("type", MidtransEventType, "type"),
        vocabulary_check("outcome", MidtransOutcome, "outcome"),
        *non_negative("gross_amount", "received_count"),
        # A replayed notification bumps received_count instead of adding a row.
        partial_unique(
            "type",
            "order_id",
            "transaction_id",
            "transaction_status",
            "status_code",
            where="type = 'notification'",
            name="uq_midtrx_notification",
        ),
    )

    type: Mapped[str] = mapped_column(BoundedString(16))
    order_id: Mapped[str] = mapped_column(BoundedString(64), index=True)
    transaction_id: Mapped[str | None] = mapped_column(BoundedString(64))
    transaction_status: Mapped[str | None] = mapped_column(BoundedString(32))
    status_code: Mapped[str | None] = mapped_column(BoundedString(8))
    gross_amount: Mapped[Decimal | None] = mapped_column(BoundedNumeric)
    signature_valid: Mapped[bool | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(BoundedString(16))
    received_count: Mapped[int] = mapped_column(BoundedInteger, default=1, server_default="1")
    payload: Mapped[dict[str, Any]] = mapped_column(json_type())
