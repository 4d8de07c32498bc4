"""Publisher profile and its links to authors."""

from __future__ import annotations

import uuid

from sqlalchemy import Index, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from esensi.models.author import Author
from esensi.models.base import (
    BankAccount,
    Base,
    fk,
    one_profile_per_user,
    status_column,
    user_link,
)
from esensi.models.enums import LinkStatus
from rlib.db.base import Timestamps, UUIDPrimaryKey, Versioned, vocabulary_check
from rlib.db.types import BoundedString, BoundedText


class Publisher(UUIDPrimaryKey, BankAccount, Versioned, Timestamps, Base):
    __tablename__ = "publisher"
    __table_args__ = (one_profile_per_user(),)

    name: Mapped[str] = mapped_column(BoundedString(255))
    description: Mapped[str | None] = mapped_column(BoundedText())
    website: Mapped[str | None] = mapped_column(BoundedString(512))
    address: Mapped[str | None] = mapped_column(BoundedText())
    logo: Mapped[str | None] = mapped_column(BoundedString(512))
    id_user: Mapped[uuid.UUID | None] = user_link()


Index("ix_publisher_lower_name", func.lower(Publisher.name), unique=True)


class PublisherAuthor(UUIDPrimaryKey, Timestamps, Base):
    """A publisher-author link; the publisher sees the author's books only once it is active."""

    __tablename__ = "publisher_author"
    # Leads with publisher_id, so it is also that foreign key's index.
    __table_args__ = (
        UniqueConstraint("publisher_id", "author_id"),
        vocabulary_check("status", LinkStatus, "status"),
    )

    publisher_id: Mapped[uuid.UUID] = mapped_column(fk("publisher.id", ondelete="CASCADE"))
    author_id: Mapped[uuid.UUID] = mapped_column(fk("author.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = status_column(LinkStatus.INVITED)

    publisher: Mapped[Publisher] = relationship(lazy="raise")
    author: Mapped[Author] = relationship(lazy="raise")
