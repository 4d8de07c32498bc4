"""Tables of the fixture shop: a shelf and its items."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Index, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from rlib.db.base import SoftDelete, Timestamps, UUIDPrimaryKey, make_base
from rlib.db.types import BoundedInteger, BoundedString
from rlib.mail.outbox import OutboxMixin, outbox_table_args

Base = make_base()


class Shelf(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "shelf"

    name: Mapped[str] = mapped_column(BoundedString(32), nullable=False, unique=True)


class Item(UUIDPrimaryKey, Timestamps, SoftDelete, Base):
    __tablename__ = "item"
    __table_args__ = (
        CheckConstraint("qty >= 0", name="qty_non_negative"),
        Index(
            "uq_item_sku_live",
            "sku",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )

    name: Mapped[str] = mapped_column(BoundedString(10), nullable=False)
    sku: Mapped[str] = mapped_column(BoundedString(16), nullable=False)
    qty: Mapped[int] = mapped_column(BoundedInteger, nullable=False, default=0)
    id_shelf: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("shelf.id", ondelete="RESTRICT"), nullable=True, index=True
    )


class Outbox(OutboxMixin, Base):
    __tablename__ = "mail_outbox"
    __table_args__ = outbox_table_args(["main", "chapter", "auth"])
