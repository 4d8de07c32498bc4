"""Taxonomy trees: category (the store), genre and tags (the chapter site)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from esensi.models.base import Base, fk, partial_unique
from rlib.db.base import SoftDelete, Timestamps, UUIDPrimaryKey
from rlib.db.types import BoundedInteger, BoundedString


class TaxonNode(UUIDPrimaryKey, SoftDelete, Timestamps):
    """Columns shared by the three trees; cycles are refused by the service, not the schema."""

    __tablename__: str

    name: Mapped[str] = mapped_column(BoundedString(255))
    slug: Mapped[str] = mapped_column(BoundedString(255))
    img: Mapped[str | None] = mapped_column(BoundedString(512))
    idx: Mapped[int] = mapped_column(BoundedInteger, default=0, server_default="0")

    @declared_attr
    def id_parent(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(fk(f"{cls.__tablename__}.id"), index=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (partial_unique("slug"),)


class Category(TaxonNode, Base):
    __tablename__ = "category"

    parent: Mapped[Category | None] = relationship(
        remote_side="Category.id", back_populates="children", lazy="raise"
    )
    children: Mapped[list[Category]] = relationship(back_populates="parent", lazy="raise")


class Genre(TaxonNode, Base):
    __tablename__ = "genre"

    parent: Mapped[Genre | None] = relationship(
        remote_side="Genre.id", back_populates="children", lazy="raise"
    )
    children: Mapped[list[Genre]] = relationship(back_populates="parent", lazy="raise")


class Tags(TaxonNode, Base):
    __tablename__ = "tags"

    parent: Mapped[Tags | None] = relationship(
        remote_side="Tags.id", back_populates="children", lazy="raise"
    )
    children: Mapped[list[Tags]] = relationship(back_populates="parent", lazy="raise")
