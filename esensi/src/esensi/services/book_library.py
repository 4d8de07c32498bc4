"""The store's library: the customer's live entitlements (spec/workflows.md section 4.7) with
each product's list columns and reading progress, one owned product for the reader, and saving
progress on an owned product.

Entitled = a ``t_sales_download`` row of this customer and product with no ``revoked_at``;
anything else (never bought, refunded, another customer's) is the same 404.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.engine import RowMapping

from esensi.models.book import Book
from esensi.models.chapter import Chapter
from esensi.models.entitlement import CustomerReader, TSalesDownload
from esensi.models.product import Product
from esensi.services import reading_progress
from esensi.services.catalog import Listing
from esensi.services.storefront import product_cards
from rlib import FieldError, NotFoundError, Scope, ValidationError


def _live(customer_id: uuid.UUID) -> ColumnElement[bool]:
    return and_(
        TSalesDownload.id_customer == customer_id,
        TSalesDownload.id_product == Product.id,
        TSalesDownload.revoked_at.is_(None),
    )


def _progress(customer_id: uuid.UUID) -> ColumnElement[bool]:
    return and_(CustomerReader.id_customer == customer_id, CustomerReader.id_product == Product.id)


def _progress_columns() -> tuple[Any, ...]:
    return (
        CustomerReader.id_chapter,
        func.coalesce(CustomerReader.last_page, 0).label("last_page"),
        func.coalesce(CustomerReader.percent, Decimal(0)).label("percent"),
        CustomerReader.updated_at.label("read_at"),
    )


async def library(scope: Scope, customer_id: uuid.UUID, *, page: int, limit: int) -> Listing:
    """One page of the owned products, latest grant first, with the saved progress. A product
    stays in the library after it is unpublished: the customer bought it."""
    total = await scope.db.scalar(
        select(func.count())
        .select_from(TSalesDownload)
        .where(TSalesDownload.id_customer == customer_id, TSalesDownload.revoked_at.is_(None))
    )
    rows = await scope.db.execute(
        product_cards()
        .add_columns(Product.is_chapter, TSalesDownload.granted_at, *_progress_columns())
        .join(TSalesDownload, _live(customer_id))
        .outerjoin(CustomerReader, _progress(customer_id))
        .order_by(TSalesDownload.granted_at.desc(), Product.id)
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return Listing(rows=rows.mappings().all(), total=total or 0)


async def owned_by_slug(scope: Scope, customer_id: uuid.UUID, slug: str) -> RowMapping:
    """The owned product called ``slug`` with its reader data and progress (one statement);
    404 unless the customer holds a live entitlement to it."""
    row = (
        await scope.db.execute(
            product_cards()
            .add_columns(
                Product.desc,
                Product.info,
                Product.is_chapter,
                Product.product_file,
                TSalesDownload.id.label("id_entitlement"),
                TSalesDownload.granted_at,
                *_progress_columns(),
            )
            .join(TSalesDownload, _live(customer_id))
            .outerjoin(CustomerReader, _progress(customer_id))
            .where(Product.slug == slug)
            # A deleted product's slug may be taken again by a live one: prefer the live row.
            .order_by(Product.deleted_at.is_not(None), TSalesDownload.granted_at.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        raise NotFoundError("resource.product")
    return row._mapping


async def entitlement(scope: Scope, customer_id: uuid.UUID, product_id: uuid.UUID) -> RowMapping:
    """The live entitlement to ``product_id`` with the product's files and slug; 404 when the
    customer holds none."""
    row = (
        await scope.db.execute(
            select(TSalesDownload.id, Product.id.label("id_product"), Product.product_file)
            .join(Product, _live(customer_id))
            .where(Product.id == product_id)
        )
    ).first()
    if row is None:
        raise NotFoundError("resource.product")
    return row._mapping


async def save_progress(
    scope: Scope, customer_id: uuid.UUID, product_id: uuid.UUID, changes: dict[str, Any]
) -> RowMapping:
    """Save the reader's position in an owned product. Ownership first (404), then a chapter
    that is not one of this product's book is refused (422)."""
    await entitlement(scope, customer_id, product_id)
    chapter = changes.get("id_chapter")
    if chapter is not None and not await _chapter_of(scope, product_id, chapter):
        raise ValidationError(
            [FieldError(loc=("body", "id_chapter"), key="library.chapter_not_in_book")]
        )
    return await reading_progress.upsert(scope, customer_id, product_id, changes)


async def _chapter_of(scope: Scope, product_id: uuid.UUID, chapter_id: uuid.UUID) -> bool:
    found = await scope.db.scalar(
        select(Chapter.id)
        .join(Book, Book.id == Chapter.id_book)
        .where(Chapter.id == chapter_id, Book.id_product == product_id)
    )
    return found is not None
