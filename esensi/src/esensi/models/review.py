"""Reader reviews of books, their replies and likes."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esensi.models.auth import AuthUser
from esensi.models.base import LIVE, Base, fk, partial_unique
from rlib.db.base import CreatedAt, SoftDelete, Timestamps, UUIDPrimaryKey, Versioned
from rlib.db.types import BoundedSmallInteger, BoundedText

COMMENT_MAX = 5000


class Reviews(UUIDPrimaryKey, Versioned, SoftDelete, Timestamps, Base):
    """A top-level review (with a rating) or a reply to one (``parent`` set, no rating)."""

    __tablename__ = "reviews"
    # (id_book, created_at) leads with id_book, so it is also that foreign key's index.
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("(parent IS NULL) = (rating IS NOT NULL)", name="rating_on_top_level"),
        partial_unique("id_book", "id_user", where=f"parent IS NULL AND {LIVE}"),
        Index(None, "id_book", "created_at"),
    )

    id_book: Mapped[uuid.UUID] = mapped_column(fk("book.id", ondelete="CASCADE"))
    comments: Mapped[str] = mapped_column(BoundedText(COMMENT_MAX))
    rating: Mapped[int | None] = mapped_column(BoundedSmallInteger)
    # CASCADE, not RESTRICT: a book's cascade removes a thread and its replies in one statement.
    parent: Mapped[uuid.UUID | None] = mapped_column(
        fk("reviews.id", ondelete="CASCADE"), index=True
    )
    id_user: Mapped[uuid.UUID] = mapped_column(fk("auth_user.id"), index=True)

    user: Mapped[AuthUser] = relationship(lazy="raise")
    replies: Mapped[list[Reviews]] = relationship(lazy="raise", order_by="Reviews.created_at")


class ReviewsLikes(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "reviews_likes"
    # Leads with id_reviews, so it is also that foreign key's index.
    __table_args__ = (UniqueConstraint("id_reviews", "id_user"),)

    id_reviews: Mapped[uuid.UUID] = mapped_column(fk("reviews.id", ondelete="CASCADE"))
    id_user: Mapped[uuid.UUID] = mapped_column(fk("auth_user.id", ondelete="CASCADE"), index=True)
