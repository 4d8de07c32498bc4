"""Books (the author's side), their review history, edit log and chapter-site taxonomy."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esensi.models._catalog import Publication, listed_indexes, publication_checks
from esensi.models.author import Author
from esensi.models.base import LIVE, Base, fk, non_negative, partial_index, status_column
from esensi.models.enums import ApprovalStatus, BookStatus
from esensi.models.internal import Internal
from esensi.models.product import Product
from esensi.models.publisher import Publisher
from esensi.models.taxonomy import Genre, Tags
from rlib.db.base import (
    CreatedAt,
    SoftDelete,
    Timestamps,
    UUIDPrimaryKey,
    Versioned,
    vocabulary_check,
)
from rlib.db.types import BoundedNumeric, BoundedString, BoundedText, json_type

if TYPE_CHECKING:
    # chapter.py imports this module; the mapper resolves the name from its registry.
    from esensi.models.chapter import Chapter


class Book(UUIDPrimaryKey, Publication, Versioned, SoftDelete, Timestamps, Base):
    __tablename__ = "book"
    __table_args__ = (
        *listed_indexes("book"),
        *publication_checks(),
        *non_negative("submitted_price"),
        vocabulary_check("status", BookStatus, "status"),
        partial_index("id_author", "status", where=LIVE),
        Index(None, "status", "created_at"),
    )

    submitted_price: Mapped[Decimal] = mapped_column(
        BoundedNumeric, default=Decimal(0), server_default="0"
    )
    # Set on first approval; one product per book.
    id_product: Mapped[uuid.UUID | None] = mapped_column(fk("product.id"), unique=True)
    cfg: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    status: Mapped[str] = status_column(BookStatus.DRAFT)

    author: Mapped[Author] = relationship(lazy="raise")
    publisher: Mapped[Publisher | None] = relationship(lazy="raise")
    product: Mapped[Product | None] = relationship(lazy="raise")
    genres: Mapped[list[Genre]] = relationship(secondary="book_genre", lazy="raise")
    tags: Mapped[list[Tags]] = relationship(secondary="book_tags", lazy="raise")
    chapters: Mapped[list[Chapter]] = relationship(
        back_populates="book", lazy="raise", order_by="Chapter.number"
    )
    approvals: Mapped[list[BookApproval]] = relationship(
        lazy="raise", order_by="BookApproval.created_at"
    )


class BookApproval(UUIDPrimaryKey, CreatedAt, Base):
    """One review event: the author submitted or withdrew, staff published, rejected, ..."""

    __tablename__ = "book_approval"
    # Leads with id_book, so it is also that foreign key's index.
    __table_args__ = (
        vocabulary_check("status", ApprovalStatus, "status"),
        CheckConstraint(
            "comment IS NOT NULL OR status NOT IN ('rejected', 'revise', 'unpublished')",
            name="comment_required",
        ),
        Index(None, "id_book", "created_at"),
    )

    id_book: Mapped[uuid.UUID] = mapped_column(fk("book.id", ondelete="CASCADE"))
    # Null on the author's own submit and withdraw rows.
    id_internal: Mapped[uuid.UUID | None] = mapped_column(fk("internal.id"), index=True)
    comment: Mapped[str | None] = mapped_column(BoundedText())
    status: Mapped[str] = mapped_column(BoundedString(16))

    internal: Mapped[Internal | None] = relationship(lazy="raise")


class BookChangesLog(UUIDPrimaryKey, CreatedAt, Base):
    """Who changed which whitelisted fields of a book: ``{old: {...}, new: {...}}``."""

    __tablename__ = "book_changes_log"
    __table_args__ = (Index(None, "id_book", "created_at"),)

    id_book: Mapped[uuid.UUID] = mapped_column(fk("book.id", ondelete="CASCADE"))
    id_user: Mapped[uuid.UUID | None] = mapped_column(fk("auth_user.id"), index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(json_type())


class BookGenre(CreatedAt, Base):
    __tablename__ = "book_genre"

    id_book: Mapped[uuid.UUID] = mapped_column(fk("book.id", ondelete="CASCADE"), primary_key=True)
    id_genre: Mapped[uuid.UUID] = mapped_column(
        fk("genre.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class BookTags(CreatedAt, Base):
    __tablename__ = "book_tags"

    id_book: Mapped[uuid.UUID] = mapped_column(fk("book.id", ondelete="CASCADE"), primary_key=True)
    id_tags: Mapped[uuid.UUID] = mapped_column(
        fk("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
