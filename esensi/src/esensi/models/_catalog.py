"""Columns and indexes that book, product and bundle share."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import CheckConstraint, Index, false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from esensi.models.base import (
    EMPTY_JSON_LIST,
    LIVE,
    Currency,
    empty_list,
    fk,
    partial_unique,
    trigram_index,
)
from esensi.models.enums import ContentType
from rlib.db.base import vocabulary_check
from rlib.db.types import BoundedInteger, BoundedString, BoundedText, UtcDateTime, json_type


class Listed(Currency):
    """What the store shows of any sellable thing."""

    name: Mapped[str] = mapped_column(BoundedString(255))
    slug: Mapped[str] = mapped_column(BoundedString(255))
    # Sanitised HTML or plain text, rendered escaped.
    desc: Mapped[str | None] = mapped_column(BoundedText())
    info: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    img_file: Mapped[list[str]] = mapped_column(
        json_type(), default=empty_list, server_default=EMPTY_JSON_LIST
    )
    cover: Mapped[str | None] = mapped_column(BoundedString(512))
    sku: Mapped[str | None] = mapped_column(BoundedString(64))


class Publication(Listed):
    """Book and product: the publication itself, copied from the book onto its product."""

    alias: Mapped[str | None] = mapped_column(BoundedString(255))
    # Paths under the private file root, served only to entitled readers.
    product_file: Mapped[list[str]] = mapped_column(
        json_type(), default=empty_list, server_default=EMPTY_JSON_LIST
    )
    published_date: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    is_physical: Mapped[bool] = mapped_column(default=False, server_default=false())
    preorder_min_qty: Mapped[int | None] = mapped_column(BoundedInteger)
    content_type: Mapped[str] = mapped_column(
        BoundedString(16), default=ContentType.EBOOK.value, server_default=ContentType.EBOOK.value
    )
    is_chapter: Mapped[bool] = mapped_column(default=False, server_default=false())

    @declared_attr
    def id_author(cls) -> Mapped[uuid.UUID]:
        return mapped_column(fk("author.id"), index=True)

    @declared_attr
    def id_publisher(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(fk("publisher.id"), index=True)


def listed_indexes(table: str) -> tuple[Index, ...]:
    """Live-unique slug and SKU, and trigram name search."""
    return (
        partial_unique("slug"),
        partial_unique("sku", where=f"sku IS NOT NULL AND {LIVE}"),
        trigram_index(table),
    )


def publication_checks() -> tuple[CheckConstraint, ...]:
    return (
        vocabulary_check("content_type", ContentType, "content_type"),
        CheckConstraint("preorder_min_qty >= 0", name="preorder_min_qty_nonneg"),
    )
