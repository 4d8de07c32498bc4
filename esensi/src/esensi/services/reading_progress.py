"""A reader's chapter library (live entitlements to serialised books) and reading position."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import aliased

from esensi.models.book import Book
from esensi.models.chapter import Chapter
from esensi.models.entitlement import CustomerReader, TSalesDownload
from esensi.models.enums import ChapterStatus
from esensi.services.catalog import Listing
from esensi.services.chapter_books import card_columns, visible_book
from esensi.services.readers import owns
from rlib import NotFoundError, Scope
from rlib.db.base import utcnow


def _owned(customer_id: uuid.UUID) -> Any:
    return and_(
        TSalesDownload.id_customer == customer_id,
        TSalesDownload.id_product == Book.id_product,
        TSalesDownload.revoked_at.is_(None),
    )


async def library(scope: Scope, customer_id: uuid.UUID, *, page: int, limit: int) -> Listing:
    """The visible serialised books the customer owns, latest grant first, each with the
    saved position (chapter number and name, percent) when there is one."""
    last = aliased(Chapter)
    total = await scope.db.scalar(
        select(func.count())
        .select_from(Book)
        .join(TSalesDownload, _owned(customer_id))
        .where(visible_book())
    )
    rows = await scope.db.execute(
        card_columns()
        .add_columns(
            TSalesDownload.granted_at,
            CustomerReader.percent,
            CustomerReader.updated_at.label("read_at"),
            last.id.label("chapter_id"),
            last.number.label("chapter_number"),
            last.name.label("chapter_name"),
        )
        .join(TSalesDownload, _owned(customer_id))
        .outerjoin(
            CustomerReader,
            and_(
                CustomerReader.id_customer == customer_id,
                CustomerReader.id_product == Book.id_product,
            ),
        )
        .outerjoin(last, last.id == CustomerReader.id_chapter)
        .where(visible_book())
        .order_by(TSalesDownload.granted_at.desc(), Book.id)
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return Listing(rows=rows.mappings().all(), total=total or 0)


async def _readable_chapter(
    scope: Scope, customer_id: uuid.UUID, chapter_id: uuid.UUID
) -> RowMapping:
    """The published chapter of a visible, sold book that the customer may read (free, or
    they own the book); 404 otherwise."""
    row = (
        await scope.db.execute(
            select(Chapter.id, Chapter.number, Book.id.label("id_book"), Book.id_product)
            .join(Book, Book.id == Chapter.id_book)
            .where(Chapter.id == chapter_id, Chapter.status == ChapterStatus.PUBLISHED)
            .where(visible_book(), Book.id_product.is_not(None))
            .where(Chapter.is_free.is_(True) | owns(customer_id, Book.id_product))
        )
    ).first()
    if row is None:
        raise NotFoundError("resource.chapter")
    return row._mapping


async def save(
    scope: Scope, customer_id: uuid.UUID, chapter_id: uuid.UUID, percent: Decimal | None
) -> dict[str, Any]:
    """Remember ``chapter_id`` (and ``percent`` when given) as the customer's position in
    its book: one upsert on (customer, product)."""
    chapter = await _readable_chapter(scope, customer_id, chapter_id)
    changes: dict[str, Any] = {"id_chapter": chapter_id}
    if percent is not None:
        changes["percent"] = percent
    saved = await upsert(scope, customer_id, chapter["id_product"], changes)
    return {**chapter, "percent": saved["percent"]}


async def upsert(
    scope: Scope, customer_id: uuid.UUID, product_id: uuid.UUID, changes: dict[str, Any]
) -> RowMapping:
    """Write ``changes`` into the customer's one progress row of ``product_id`` (created on
    first save): one INSERT … ON CONFLICT on (customer, product), so two saves racing never
    make two rows. Returns the saved row's position columns."""
    dialect = scope.db.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    changes = {**changes, "updated_at": now}
    stmt = (
        insert(CustomerReader)
        .values(
            id=uuid.uuid4(),
            id_customer=customer_id,
            id_product=product_id,
            created_at=now,
            **{"percent": Decimal(0), "last_page": 0, **changes},
        )
        .on_conflict_do_update(index_elements=["id_customer", "id_product"], set_=changes)
        .returning(
            CustomerReader.id_chapter,
            CustomerReader.last_page,
            CustomerReader.percent,
            CustomerReader.updated_at,
        )
    )
    return (await scope.db.execute(stmt)).mappings().one()
