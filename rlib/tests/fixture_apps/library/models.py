"""Writers own novels; novels have chapters (nested) and genres (many-to-many)."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    MetaData,
    Table,
    Uuid,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from rlib.db.base import NAMING_CONVENTION, SoftDelete, Timestamps, UUIDPrimaryKey, Versioned
from rlib.db.types import (
    BoundedInteger,
    BoundedNumeric,
    BoundedString,
    BoundedText,
    UtcDateTime,
    json_type,
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


novel_genre = Table(
    "novel_genre",
    Base.metadata,
    Column("id_novel", Uuid, ForeignKey("novel.id", ondelete="CASCADE"), primary_key=True),
    Column("id_genre", Uuid, ForeignKey("genre.id", ondelete="CASCADE"), primary_key=True),
)


class Writer(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "writer"

    name: Mapped[str] = mapped_column(BoundedString(64))
    bank_account: Mapped[str | None] = mapped_column(BoundedString(32), info={"sensitive": True})
    novels: Mapped[list[Novel]] = relationship(back_populates="writer", lazy="raise")


class Genre(UUIDPrimaryKey, Base):
    __tablename__ = "genre"

    name: Mapped[str] = mapped_column(BoundedString(32), unique=True)


class Novel(UUIDPrimaryKey, Versioned, SoftDelete, Timestamps, Base):
    __tablename__ = "novel"
    __table_args__ = (
        Index(
            "uq_novel_slug_live",
            "slug",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
        CheckConstraint("status IN ('draft', 'published')", name="status"),
    )

    title: Mapped[str] = mapped_column(BoundedString(64))
    slug: Mapped[str] = mapped_column(BoundedString(64))
    status: Mapped[str] = mapped_column(BoundedString(16), default="draft")
    pages: Mapped[int] = mapped_column(BoundedInteger, default=0)
    secret_note: Mapped[str | None] = mapped_column(BoundedString(64), info={"sensitive": True})
    id_writer: Mapped[uuid.UUID] = mapped_column(ForeignKey("writer.id"), index=True)
    writer: Mapped[Writer] = relationship(back_populates="novels", lazy="raise")
    genres: Mapped[list[Genre]] = relationship(secondary=novel_genre, lazy="raise")
    chapters: Mapped[list[Chapter]] = relationship(
        back_populates="novel", lazy="raise", order_by="Chapter.number"
    )


class Chapter(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "novel_chapter"

    number: Mapped[int] = mapped_column(BoundedInteger)
    name: Mapped[str] = mapped_column(BoundedString(64))
    id_novel: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("novel.id", ondelete="CASCADE"), index=True
    )
    novel: Mapped[Novel] = relationship(back_populates="chapters", lazy="raise")


def _code_of(context: Any) -> str:
    # A context-taking default: SQLAlchemy passes its execution context; the native insert
    # path passes an object with the same get_current_parameters().
    return str(context.get_current_parameters()["name"])[:3].upper()


class Shelf(UUIDPrimaryKey, Base):
    """A table with every kind of constraint, for the create path's integrity answers."""

    __tablename__ = "shelf"
    __table_args__ = (CheckConstraint("rank >= 0", name="rank_positive"),)

    name: Mapped[str] = mapped_column(BoundedString(32), unique=True)
    rank: Mapped[int] = mapped_column(BoundedInteger, default=0)
    note: Mapped[str] = mapped_column(BoundedString(32), nullable=False)
    code: Mapped[str] = mapped_column(BoundedString(8), default=_code_of)
    id_writer: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("writer.id"), nullable=True)


class Mood(enum.StrEnum):
    CALM = "calm"
    LOUD = "loud"


class CommaList(TypeDecorator[list[str]]):
    """A list stored as comma-joined text: a result processor the driver knows nothing of."""

    impl = BoundedText
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> str | None:
        return None if value is None else ",".join(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> list[str] | None:
        return None if value is None else value.split(",")


class Specimen(UUIDPrimaryKey, Base):
    """One column of every type whose values a driver alone would return differently."""

    __tablename__ = "specimen"

    name: Mapped[str] = mapped_column(BoundedString(32))
    data: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    tags: Mapped[list[str] | None] = mapped_column(CommaList())
    price: Mapped[Decimal | None] = mapped_column(BoundedNumeric())
    ratio: Mapped[float | None] = mapped_column(Float)
    taken_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    born_on: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool | None] = mapped_column(Boolean)
    mood: Mapped[Mood | None] = mapped_column(Enum(Mood, native_enum=False, length=8))
    status: Mapped[str] = mapped_column(BoundedString(16), default="draft")
    id_writer: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("writer.id"), nullable=True)
    writer: Mapped[Writer | None] = relationship(lazy="raise")
