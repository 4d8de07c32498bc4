"""The chapter site's detail pages: a book's title page and one chapter, gated by entitlement."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, false, func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import aliased

from esensi.models.auth import AuthUser
from esensi.models.author import Author, AuthorFollow
from esensi.models.book import Book, BookGenre, BookTags
from esensi.models.chapter import Chapter
from esensi.models.enums import ChapterStatus, ProductStatus
from esensi.models.product import Product
from esensi.models.taxonomy import Genre, Tags
from esensi.services.chapter_books import visible_book
from esensi.services.fast_reads import READS, Row
from esensi.services.readers import caller_id
from rlib import NotFoundError, Scope


def follower_count() -> Any:
    """SQL: how many readers follow ``Author``."""
    return (
        select(func.count())
        .where(AuthorFollow.id_author == Author.id)
        .correlate(Author)
        .scalar_subquery()
    )


def followed_by(user_id: uuid.UUID | None) -> ColumnElement[bool]:
    """SQL: ``user_id`` follows ``Author`` (false for an anonymous visitor)."""
    if user_id is None:
        return false()
    return exists().where(AuthorFollow.id_author == Author.id, AuthorFollow.id_user == user_id)


def author_columns(scope: Scope) -> list[Any]:
    """An author as the chapter site shows them, with followers and the caller's follow."""
    return [
        Author.id.label("author_id"),
        Author.name.label("author_name"),
        Author.avatar.label("author_avatar"),
        Author.biography.label("author_biography"),
        AuthUser.username.label("author_username"),
        follower_count().label("author_followers"),
        followed_by(caller_id(scope)).label("author_following"),
    ]


def _published_product() -> ColumnElement[bool]:
    return and_(
        Product.id == Book.id_product,
        Product.status == ProductStatus.PUBLISHED,
        Product.deleted_at.is_(None),
    )


# The title page's statements are built once, every per-request value bound (the slug, the
# book, the caller), and run on the compiled fast path: composing them per call and running
# them through the session cost far more CPU than the queries themselves (benchmark scenario f).
_FOLLOWED_BY_VIEWER = exists().where(
    AuthorFollow.id_author == Author.id, AuthorFollow.id_user == bindparam("viewer")
)  # an anonymous viewer binds NULL: no row matches, false as ``followed_by(None)``
_TITLE_BOOK: Select[*tuple[Any, ...]] = (
    select(
        Book.id,
        Book.name,
        Book.slug,
        Book.alias,
        Book.desc,
        Book.cover,
        Book.published_date,
        Book.content_type,
        Author.id.label("author_id"),
        Author.name.label("author_name"),
        Author.avatar.label("author_avatar"),
        Author.biography.label("author_biography"),
        AuthUser.username.label("author_username"),
        follower_count().label("author_followers"),
        _FOLLOWED_BY_VIEWER.label("author_following"),
        Book.id_product.label("entitling_product"),
        Product.id.label("product_id"),
        Product.slug.label("product_slug"),
        Product.real_price.label("product_price"),
        Product.strike_price.label("product_strike_price"),
        Product.currency.label("product_currency"),
    )
    .join(Author, Author.id == Book.id_author)
    .outerjoin(AuthUser, AuthUser.id == Author.id_user)
    .outerjoin(Product, _published_product())
    .where(Book.slug == bindparam("slug"), visible_book())
    .limit(1)
)


async def title_book(scope: Scope, slug: str) -> Row:
    """The visible book ``slug`` with its author and its product's offer; 404 when absent."""
    rows = await READS.rows(scope, _TITLE_BOOK, {"slug": slug, "viewer": caller_id(scope)})
    if not rows:
        raise NotFoundError("resource.book")
    return rows[0]


_GENRES: Select[*tuple[Any, ...]] = (
    select(Genre.id, Genre.name, Genre.slug)
    .join(BookGenre, BookGenre.id_genre == Genre.id)
    .where(BookGenre.id_book == bindparam("book_id"), Genre.deleted_at.is_(None))
    .order_by(Genre.name, Genre.id)
)
_TAGS: Select[*tuple[Any, ...]] = (
    select(Tags.id, Tags.name, Tags.slug)
    .join(BookTags, BookTags.id_tags == Tags.id)
    .where(BookTags.id_book == bindparam("book_id"), Tags.deleted_at.is_(None))
    .order_by(Tags.name, Tags.id)
)


async def genres_of(scope: Scope, book_id: uuid.UUID) -> list[Row]:
    """The book's live genres."""
    return await READS.rows(scope, _GENRES, {"book_id": book_id})


async def tags_of(scope: Scope, book_id: uuid.UUID) -> list[Row]:
    """The book's live tags."""
    return await READS.rows(scope, _TAGS, {"book_id": book_id})


def _published_chapter() -> ColumnElement[bool]:
    return Chapter.status == ChapterStatus.PUBLISHED


_CHAPTERS: Select[*tuple[Any, ...]] = (
    select(Chapter.id, Chapter.number, Chapter.name, Chapter.is_free, Chapter.published_at)
    .where(Chapter.id_book == bindparam("book_id"), Chapter.status == ChapterStatus.PUBLISHED)
    .order_by(Chapter.number)
)


async def chapter_list(scope: Scope, book_id: uuid.UUID) -> list[Row]:
    """The book's published chapters by number, without their content."""
    return await READS.rows(scope, _CHAPTERS, {"book_id": book_id})


async def one_chapter(scope: Scope, book_slug: str, number: int) -> RowMapping:
    """Published chapter ``number`` of the visible book ``book_slug`` with the book, author,
    product offer and the neighbouring published numbers; 404 when absent."""
    sibling = aliased(Chapter)
    live = (sibling.id_book == Book.id, sibling.status == ChapterStatus.PUBLISHED)
    previous = select(func.max(sibling.number)).where(*live, sibling.number < number)
    following = select(func.min(sibling.number)).where(*live, sibling.number > number)
    row = (
        await scope.db.execute(
            select(
                Chapter.id,
                Chapter.number,
                Chapter.name,
                Chapter.is_free,
                Chapter.published_at,
                Chapter.content,
                Book.id.label("book_id"),
                Book.name.label("book_name"),
                Book.slug.label("book_slug"),
                Book.cover.label("book_cover"),
                Author.id.label("author_id"),
                Author.name.label("author_name"),
                Book.id_product.label("entitling_product"),
                Product.id.label("product_id"),
                Product.slug.label("product_slug"),
                Product.real_price.label("product_price"),
                Product.strike_price.label("product_strike_price"),
                Product.currency.label("product_currency"),
                previous.correlate(Book).scalar_subquery().label("prev"),
                following.correlate(Book).scalar_subquery().label("next"),
            )
            .join(Book, Book.id == Chapter.id_book)
            .join(Author, Author.id == Book.id_author)
            .outerjoin(Product, _published_product())
            .where(Book.slug == book_slug, visible_book())
            .where(Chapter.number == number, _published_chapter())
        )
    ).first()
    if row is None:
        raise NotFoundError("resource.chapter")
    return row._mapping
