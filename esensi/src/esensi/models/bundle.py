"""Bundles: several products sold together at one price."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esensi.models._catalog import Listed, listed_indexes
from esensi.models.author import Author
from esensi.models.base import Base, fk, non_negative, status_column
from esensi.models.enums import BundleStatus
from esensi.models.product import Product
from esensi.models.taxonomy import Category
from rlib.db.base import (
    CreatedAt,
    SoftDelete,
    Timestamps,
    UUIDPrimaryKey,
    Versioned,
    vocabulary_check,
)
from rlib.db.types import BoundedNumeric, BoundedSmallInteger, json_type


class Bundle(UUIDPrimaryKey, Listed, Versioned, SoftDelete, Timestamps, Base):
    """Products of one author (or of a publisher's active authors), checked by the service."""

    __tablename__ = "bundle"
    __table_args__ = (
        *listed_indexes("bundle"),
        *non_negative("real_price", "strike_price"),
        vocabulary_check("status", BundleStatus, "status"),
    )

    real_price: Mapped[Decimal] = mapped_column(BoundedNumeric)
    strike_price: Mapped[Decimal | None] = mapped_column(BoundedNumeric)
    cfg: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    id_author: Mapped[uuid.UUID] = mapped_column(fk("author.id"), index=True)
    status: Mapped[str] = status_column(BundleStatus.DRAFT)

    author: Mapped[Author] = relationship(lazy="raise")
    items: Mapped[list[BundleProduct]] = relationship(back_populates="bundle", lazy="raise")
    categories: Mapped[list[Category]] = relationship(secondary="bundle_category", lazy="raise")


class BundleProduct(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "bundle_product"
    # Leads with id_bundle, so it is also that foreign key's index.
    __table_args__ = (
        UniqueConstraint("id_bundle", "id_product"),
        CheckConstraint("qty BETWEEN 1 AND 100", name="qty_range"),
    )

    id_bundle: Mapped[uuid.UUID] = mapped_column(fk("bundle.id", ondelete="CASCADE"))
    id_product: Mapped[uuid.UUID] = mapped_column(fk("product.id"), index=True)
    qty: Mapped[int] = mapped_column(BoundedSmallInteger, default=1, server_default="1")

    bundle: Mapped[Bundle] = relationship(back_populates="items", lazy="raise")
    product: Mapped[Product] = relationship(lazy="raise")


class BundleCategory(CreatedAt, Base):
    __tablename__ = "bundle_category"

    id_bundle: Mapped[uuid.UUID] = mapped_column(
        fk("bundle.id", ondelete="CASCADE"), primary_key=True
    )
    id_category: Mapped[uuid.UUID] = mapped_column(
        fk("category.id", ondelete="CASCADE"), primary_key=True, index=True
    )
