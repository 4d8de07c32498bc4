"""The reader's library (entitlements) and reading progress."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esensi.models.base import SENSITIVE, Base, fk, non_negative
from esensi.models.product import Product
from rlib.db.base import Timestamps, UUIDPrimaryKey, utcnow
from rlib.db.types import BoundedChar, BoundedInteger, BoundedNumeric, BoundedString, UtcDateTime


class TSalesDownload(UUIDPrimaryKey, Timestamps, Base):
    """The only entitlement source; unique per customer and product, so replays are no-ops."""

    __tablename__ = "t_sales_download"
    # Leads with id_customer, so it is also that foreign key's index.
    __table_args__ = (UniqueConstraint("id_customer", "id_product"),)

    id_customer: Mapped[uuid.UUID] = mapped_column(fk("customer.id"))
    id_product: Mapped[uuid.UUID] = mapped_column(fk("product.id"), index=True)
    id_sales: Mapped[uuid.UUID] = mapped_column(fk("t_sales.id"), index=True)
    granted_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime, default=utcnow, server_default=func.now()
    )
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    download_key: Mapped[str | None] = mapped_column(BoundedChar(64), info=SENSITIVE)
    download_key_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    downloaded_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    ip_address: Mapped[str | None] = mapped_column(BoundedString(45))

    product: Mapped[Product] = relationship(lazy="raise")


class CustomerReader(UUIDPrimaryKey, Timestamps, Base):
    """Reading progress, written only by the reader; never an entitlement."""

    __tablename__ = "customer_reader"
    # Leads with id_customer, so it is also that foreign key's index.
    __table_args__ = (
        UniqueConstraint("id_customer", "id_product"),
        *non_negative("last_page"),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent_range"),
    )

    id_customer: Mapped[uuid.UUID] = mapped_column(fk("customer.id"))
    id_product: Mapped[uuid.UUID] = mapped_column(fk("product.id"), index=True)
    # SET NULL: deleting a chapter must not be blocked by someone's bookmark on it.
    id_chapter: Mapped[uuid.UUID | None] = mapped_column(
        fk("chapter.id", ondelete="SET NULL"), index=True
    )
    last_page: Mapped[int] = mapped_column(BoundedInteger, default=0, server_default="0")
    percent: Mapped[Decimal] = mapped_column(
        BoundedNumeric(5, 2), default=Decimal(0), server_default="0"
    )
