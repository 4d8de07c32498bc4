"""What the chapter site lists: published, live serialised books, as card rows.

Every listing page (browse, genre, tags, search, author, index) is "which books" (a select of
book ids) plus the same card columns, newest first, and one count with the same filter.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, literal, select, union_all
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import InstrumentedAttribute

from esensi.models.author import Author
from esensi.models.book import Book, BookGenre, BookTags
from esensi.models.bundle import Bundle, BundleProduct
from esensi.models.enums import BookStatus, BundleStatus
from esensi.models.product import Product
from esensi.models.taxonomy import Tags
from esensi.services.catalog import Listing
from rlib import Scope
from rlib.crud.query import escape_like, like_pattern


def visible_book() -> ColumnElement[bool]:
    """A book the chapter site shows: serialised, published, not deleted."""
    return and_(
        Book.is_chapter.is_(True),
        Book.status == BookStatus.PUBLISHED,
        Book.deleted_at.is_(None),
    )


def all_books() -> Select[Any]:
    """Every visible book."""
    return select(Book.id).where(visible_book())


def books_in_genres(genre_ids: Sequence[uuid.UUID]) -> Select[Any]:
    """Visible books in any of ``genre_ids``."""
    linked = select(BookGenre.id_book).where(BookGenre.id_genre.in_(genre_ids))
    return all_books().where(Book.id.in_(linked))


def books_with_tags(tag_ids: Sequence[uuid.UUID]) -> Select[Any]:
    """Visible books carrying any of ``tag_ids``."""
    linked = select(BookTags.id_book).where(BookTags.id_tags.in_(tag_ids))
    return all_books().where(Book.id.in_(linked))


def books_by_author(author_id: uuid.UUID) -> Select[Any]:
    """Visible books of one author."""
    return all_books().where(Book.id_author == author_id)


def like_value(text: str) -> str:
    """A LIKE pattern matching names that contain ``text`` literally."""
    return f"%{escape_like(text)}%"


async def card_page(
    scope: Scope,
    matching: Select[Any],
    *,
    page: int,
    limit: int,
) -> Listing:
    """One page of card rows of the books ``matching`` selects, newest first, and their count."""
    total = await scope.db.scalar(select(func.count()).select_from(matching.subquery()))
    rows = await cards(scope, matching, offset=(page - 1) * limit, limit=limit)
    return Listing(rows=rows, total=total or 0)


async def cards(
    scope: Scope, matching: Select[Any], *, offset: int = 0, limit: int
) -> Sequence[RowMapping]:
    """Card rows of the books ``matching`` selects, newest first, without a count."""
    rows = await scope.db.execute(
        card_columns()
        # Through a subquery, so the filter is not correlated with the outer book row.
        .where(Book.id.in_(select(matching.subquery().c.id)))
        .order_by(Book.published_date.desc().nulls_last(), Book.id)
        .offset(offset)
        .limit(limit)
    )
    return rows.mappings().all()


def card_columns() -> Select[*tuple[Any, ...]]:
    """The columns of a book card, joined to its author."""
    return select(
        Book.id,
        Book.name,
        Book.slug,
        Book.cover,
        Book.published_date,
        Author.id.label("author_id"),
        Author.name.label("author_name"),
    ).join(Author, Author.id == Book.id_author)


def _named(column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
    # Case-insensitive "contains"; the trigram indexes serve it on PostgreSQL.
    return column.ilike(like_pattern("q"), escape="\\")


async def search_page(scope: Scope, text: str, *, page: int, limit: int) -> Listing:
    """Visible books and published bundles holding a serialised product whose name contains
    ``text``, by name; the count runs over the same union."""
    serial = exists().where(
        BundleProduct.id_bundle == Bundle.id,
        Product.id == BundleProduct.id_product,
        Product.is_chapter.is_(True),
        Product.deleted_at.is_(None),
    )
    books = select(
        literal("book").label("kind"), Book.id, Book.name, Book.slug, Book.cover, Book.id_author
    ).where(visible_book(), _named(Book.name))
    bundles = select(
        literal("bundle"), Bundle.id, Bundle.name, Bundle.slug, Bundle.cover, Bundle.id_author
    ).where(
        Bundle.status == BundleStatus.PUBLISHED,
        Bundle.deleted_at.is_(None),
        _named(Bundle.name),
        serial,
    )
    hits = union_all(books, bundles).subquery()
    params = {"q": like_value(text)}
    total = await scope.db.scalar(select(func.count()).select_from(hits), params)
    rows = await scope.db.execute(
        select(
            hits.c.kind,
            hits.c.id,
            hits.c.name,
            hits.c.slug,
            hits.c.cover,
            Author.id.label("author_id"),
            Author.name.label("author_name"),
        )
        .join(Author, Author.id == hits.c.id_author)
        .order_by(hits.c.name, hits.c.id)
        .offset((page - 1) * limit)
        .limit(limit),
        params,
    )
    return Listing(rows=rows.mappings().all(), total=total or 0)


async def top_tags(scope: Scope, *, limit: int) -> Sequence[RowMapping]:
    """The live tags carried by the most visible books, with that number."""
    books = func.count(BookTags.id_book).label("books")
    rows = await scope.db.execute(
        select(Tags.id, Tags.name, Tags.slug, books)
        .join(BookTags, BookTags.id_tags == Tags.id)
        .join(Book, Book.id == BookTags.id_book)
        .where(Tags.deleted_at.is_(None), visible_book())
        .group_by(Tags.id, Tags.name, Tags.slug)
        .order_by(books.desc(), Tags.name, Tags.id)
        .limit(limit)
    )
    return rows.mappings().all()
