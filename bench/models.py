"""The bench's own schema (not esensi's): authors, products, users, sessions, outbox.

F and P use these ORM classes; O builds Core statements from their tables; H writes the SQL
by hand against the same tables.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bench import contract
from rlib.db.base import NAMING_CONVENTION
from rlib.mail import OutboxMixin
from rlib.mail.outbox import outbox_table_args


class Base(DeclarativeBase):
    # rlib's convention names the outbox table's unnamed indexes and checks.
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Author(Base):
    __tablename__ = "author"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))


class Product(Base):
    __tablename__ = "product"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    category: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    author: Mapped[Author] = relationship(lazy="raise")

    __table_args__ = (
        # Serves the filtered list: rows by category, newest first, pk last for a stable order.
        Index("ix_product_category_published", "category", "published_at", "id"),
        Index("ix_product_published", "published_at", "id"),
        Index(
            "ix_product_name_trgm",
            "name",
            postgresql_using="gin",
            postgresql_ops={"name": "gin_trgm_ops"},
        ),
    )


class AppUser(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Session(Base):
    __tablename__ = "session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Outbox(OutboxMixin, Base):
    """rlib's outbox columns: c_outbox queues one mail per create here (nothing drains it)."""

    __tablename__ = "outbox"
    __table_args__ = outbox_table_args([contract.MAIL_CONTEXT])

    id: Mapped[uuid.UUID]  # declared for the type checker; the column comes from the mixin


class BenchMeta(Base):
    """The loader's fingerprint: reload only when it differs."""

    __tablename__ = "bench_meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


PRODUCT_COLUMNS = (
    "id",
    "author_id",
    "name",
    "description",
    "price",
    "category",
    "status",
    "published_at",
)
AUTHOR_COLUMNS = ("id", "name")
