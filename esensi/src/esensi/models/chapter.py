"""Chapters of a serialised book on the chapter site."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import CheckConstraint, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esensi.models.base import Base, fk, status_column
from esensi.models.book import Book
from esensi.models.enums import ChapterStatus
from rlib.db.base import Timestamps, UUIDPrimaryKey, Versioned, vocabulary_check
from rlib.db.types import BoundedInteger, BoundedString, UtcDateTime, json_type


def empty_document() -> dict[str, Any]:
    """An empty Editor.js document."""
    return {"blocks": []}


class Chapter(UUIDPrimaryKey, Versioned, Timestamps, Base):
    """Its product is ``book.id_product``; hard delete is allowed."""

    __tablename__ = "chapter"
    # Leads with id_book, so it is also that foreign key's index.
    __table_args__ = (
        UniqueConstraint("id_book", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        vocabulary_check("status", ChapterStatus, "status"),
    )

    id_book: Mapped[uuid.UUID] = mapped_column(fk("book.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(BoundedInteger)
    name: Mapped[str] = mapped_column(BoundedString(255))
    content: Mapped[dict[str, Any]] = mapped_column(
        json_type(), default=empty_document, server_default=text("""'{"blocks": []}'""")
    )
    is_free: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[str] = status_column(ChapterStatus.DRAFT)
    published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    book: Mapped[Book] = relationship(back_populates="chapters", lazy="raise")
