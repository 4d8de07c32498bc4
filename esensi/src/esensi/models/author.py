"""Author profile and the readers who follow authors."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import BankAccount, Base, fk, one_profile_per_user, user_link
from rlib.db.base import CreatedAt, Timestamps, UUIDPrimaryKey, Versioned
from rlib.db.types import BoundedString, BoundedText, json_type


class Author(UUIDPrimaryKey, BankAccount, Versioned, Timestamps, Base):
    """No soft delete: a hard delete is refused while books, products or links exist."""

    __tablename__ = "author"
    __table_args__ = (one_profile_per_user(),)

    name: Mapped[str] = mapped_column(BoundedString(255))
    biography: Mapped[str | None] = mapped_column(BoundedText())
    social_media: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    avatar: Mapped[str | None] = mapped_column(BoundedString(512))
    cfg: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    id_user: Mapped[uuid.UUID | None] = user_link()


class AuthorFollow(UUIDPrimaryKey, CreatedAt, Base):
    """A reader following an author on the chapter site."""

    __tablename__ = "author_follow"
    # Leads with id_user, so it is also that foreign key's index.
    __table_args__ = (UniqueConstraint("id_user", "id_author"),)

    id_user: Mapped[uuid.UUID] = mapped_column(fk("auth_user.id", ondelete="CASCADE"))
    id_author: Mapped[uuid.UUID] = mapped_column(fk("author.id", ondelete="CASCADE"), index=True)
