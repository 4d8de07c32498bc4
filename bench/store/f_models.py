"""F's ORM models: the part of esensi's schema the store pages read, mapped the way a
FastAPI user would (relationships for the author and the categories)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


product_category = Table(
    "product_category",
    Base.metadata,
    Column("id_product", ForeignKey("product.id"), primary_key=True),
    Column("id_category", ForeignKey("category.id"), primary_key=True),
)


class Author(Base):
    __tablename__ = "author"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str]
    avatar: Mapped[str | None]


class Category(Base):
    __tablename__ = "category"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str]
    slug: Mapped[str]
    deleted_at: Mapped[dt.datetime | None]


class Product(Base):
    __tablename__ = "product"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str]
    slug: Mapped[str]
    alias: Mapped[str | None]
    desc: Mapped[str | None]
    info: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    img_file: Mapped[list[str]] = mapped_column(JSONB)
    cover: Mapped[str | None]
    currency: Mapped[str]
    real_price: Mapped[Decimal]
    strike_price: Mapped[Decimal | None]
    content_type: Mapped[str]
    is_chapter: Mapped[bool]
    is_physical: Mapped[bool]
    published_date: Mapped[dt.datetime | None]
    status: Mapped[str]
    created_at: Mapped[dt.datetime]
    deleted_at: Mapped[dt.datetime | None]
    author_id: Mapped[uuid.UUID] = mapped_column("id_author", ForeignKey("author.id"))

    author: Mapped[Author] = relationship()
    categories: Mapped[list[Category]] = relationship(
        secondary=product_category, order_by=(Category.name, Category.id)
    )

    @property
    def author_name(self) -> str:
        return self.author.name
