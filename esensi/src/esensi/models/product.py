"""Products: what the store sells, created from a book on its first approval."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esensi.models._catalog import Publication, listed_indexes, publication_checks
from esensi.models.author import Author
from esensi.models.base import LIVE, Base, fk, non_negative, partial_index, status_column
from esensi.models.enums import ProductStatus
from esensi.models.publisher import Publisher
from esensi.models.taxonomy import Category
from rlib.db.base import (
    CreatedAt,
    SoftDelete,
    Timestamps,
    UUIDPrimaryKey,
    Versioned,
    vocabulary_check,
)
from rlib.db.types import BoundedNumeric


def price_checks() -> tuple[CheckConstraint, ...]:
    """Non-negative prices; a strike-through price is never below the real one."""
    return (
        *non_negative("real_price", "strike_price"),
        CheckConstraint(
            "strike_price IS NULL OR strike_price >= real_price", name="strike_price_gte_real"
        ),
    )


class Product(UUIDPrimaryKey, Publication, Versioned, SoftDelete, Timestamps, Base):
    """A sellable item; ``id_publisher`` (else ``id_author``) is the ledger owner."""

    __tablename__ = "product"
    __table_args__ = (
        *listed_indexes("product"),
        *publication_checks(),
        *price_checks(),
        vocabulary_check("status", ProductStatus, "status"),
        partial_index("status", "created_at", where=LIVE),
    )

    real_price: Mapped[Decimal] = mapped_column(BoundedNumeric)
    strike_price: Mapped[Decimal | None] = mapped_column(BoundedNumeric)
    status: Mapped[str] = status_column(ProductStatus.DRAFT)

    author: Mapped[Author] = relationship(lazy="raise")
    publisher: Mapped[Publisher | None] = relationship(lazy="raise")
    categories: Mapped[list[Category]] = relationship(secondary="product_category", lazy="raise")


class ProductCategory(CreatedAt, Base):
    __tablename__ = "product_category"

    id_product: Mapped[uuid.UUID] = mapped_column(
        fk("product.id", ondelete="CASCADE"), primary_key=True
    )
    id_category: Mapped[uuid.UUID] = mapped_column(
        fk("category.id", ondelete="CASCADE"), primary_key=True, index=True
    )
