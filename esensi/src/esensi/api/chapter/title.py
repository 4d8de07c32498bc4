"""A book's title page and one chapter of it (content gated by entitlement)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esensi.api.chapter.caching import PER_CALLER_PAGE
from esensi.api.chapter.page_schemas import (
    AuthorCard,
    ChapterBook,
    ChapterEntry,
    ChapterPage,
    ChapterQuery,
    Offer,
    RatingSummary,
    TaxonRef,
    TitleBook,
    TitlePage,
    TitleQuery,
)
from esensi.api.chapter.review_schemas import ReviewRead
from esensi.services import chapter_pages, readers, review_reads
from rlib import Ctx, define_api

REVIEWS_PAGE = 20


def _prefixed(row: Mapping[Any, Any], prefix: str) -> dict[str, Any]:
    return {
        str(key)[len(prefix) :]: value for key, value in row.items() if str(key).startswith(prefix)
    }


def author_card(row: Mapping[Any, Any]) -> AuthorCard:
    """The ``author_*`` columns of ``chapter_pages.author_columns`` as a card."""
    return AuthorCard.model_validate(_prefixed(row, "author_"))


def _offer(row: Mapping[Any, Any]) -> Offer | None:
    return None if row["product_id"] is None else Offer.model_validate(_prefixed(row, "product_"))


@define_api(
    name="title",
    url="/title/{slug}",
    methods=("GET", "POST"),
    auth="public",
    cache=PER_CALLER_PAGE,
    page=True,
)
async def title(ctx: Ctx, payload: TitleQuery) -> TitlePage:
    """A book with its genres, tags, author, chapter list, rating and first reviews."""
    book = await chapter_pages.title_book(ctx, payload.slug)
    reviews = await review_reads.review_page(ctx, book["id"], page=1, limit=REVIEWS_PAGE)
    rating = await review_reads.rating(ctx, book["id"])
    return TitlePage(
        book=TitleBook.model_validate(dict(book)),
        genres=[
            TaxonRef.model_validate(dict(r)) for r in await chapter_pages.genres_of(ctx, book["id"])
        ],
        tags=[
            TaxonRef.model_validate(dict(r)) for r in await chapter_pages.tags_of(ctx, book["id"])
        ],
        author=author_card(book),
        offer=_offer(book),
        entitled=await readers.is_entitled(ctx, book["entitling_product"]),
        chapters=[
            ChapterEntry.model_validate(dict(r))
            for r in await chapter_pages.chapter_list(ctx, book["id"])
        ],
        rating=RatingSummary(average=rating.average, count=rating.count),
        reviews=[ReviewRead.model_validate(item) for item in reviews.items],
        reviews_total=reviews.total,
    )


@define_api(
    name="chapter",
    url="/chapter/{title}/{number:int}/{slug}",
    methods=("GET", "POST"),
    auth="public",
    cache=PER_CALLER_PAGE,
    page=True,
)
async def chapter(ctx: Ctx, payload: ChapterQuery) -> ChapterPage:
    """One published chapter: its content when free or the caller owns the book, else locked."""
    row = await chapter_pages.one_chapter(ctx, payload.title, payload.number)
    readable = row["is_free"] or await readers.is_entitled(ctx, row["entitling_product"])
    return ChapterPage(
        book=ChapterBook.model_validate(_prefixed(row, "book_")),
        author_id=row["author_id"],
        author_name=row["author_name"],
        genres=[
            TaxonRef.model_validate(dict(r))
            for r in await chapter_pages.genres_of(ctx, row["book_id"])
        ],
        chapter=ChapterEntry.model_validate(dict(row)),
        locked=not readable,
        content=row["content"] if readable else None,
        offer=None if readable else _offer(row),
        prev=row["prev"],
        next=row["next"],
    )
