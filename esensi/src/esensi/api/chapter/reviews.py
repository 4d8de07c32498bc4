"""Reviews of a book: list, write, edit, delete, like."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esensi.api.chapter.caching import PER_CALLER_PAGE
from esensi.api.chapter.review_schemas import (
    LikeState,
    ReviewCreate,
    ReviewListQuery,
    ReviewRead,
    ReviewRef,
    ReviewState,
    ReviewUpdate,
)
from esensi.services import review_likes, review_reads, reviews
from rlib import Ctx, Page, define_api

PAGE_SIZE = 20


def _state(row: Mapping[Any, Any]) -> ReviewState:
    return ReviewState.model_validate({**row, "deleted": row["deleted_at"] is not None})


@define_api(
    name="review_list",
    url="/api/review/list",
    methods=("GET", "POST"),
    auth="public",
    cache=PER_CALLER_PAGE,
)
async def review_list(ctx: Ctx, payload: ReviewListQuery) -> Page[ReviewRead]:
    """A book's top-level reviews, newest first, each with its replies."""
    await reviews.reviewable_book(ctx, payload.id_book)
    found = await review_reads.review_page(ctx, payload.id_book, page=payload.page, limit=PAGE_SIZE)
    items = [ReviewRead.model_validate(item) for item in found.items]
    return Page(items=items, page=payload.page, limit=PAGE_SIZE, total=found.total)


@define_api(name="review_create", url="/api/review/create", auth="customer")
async def review_create(ctx: Ctx, payload: ReviewCreate) -> ReviewState:
    """Review a book (rating 1-5, once per book) or reply to a review; notifies the author."""
    row = await reviews.create(
        ctx,
        book_id=payload.id_book,
        comments=payload.comments,
        rating=payload.rating,
        parent=payload.parent,
    )
    return _state(row)


@define_api(name="review_update", url="/api/review/update", auth="customer")
async def review_update(ctx: Ctx, payload: ReviewUpdate) -> ReviewState:
    """Change one's own review text or rating, at the version last read."""
    changes = payload.model_dump(include={"comments", "rating"}, exclude_unset=True)
    row = await reviews.edit(ctx, payload.id, version=payload.version, changes=changes)
    return _state(row)


@define_api(name="review_delete", url="/api/review/delete", auth=("customer", "internal:support"))
async def review_delete(ctx: Ctx, payload: ReviewRef) -> ReviewState:
    """Delete one's own review (support staff: any review); replies stay hidden with it."""
    return _state(await reviews.remove(ctx, payload.id))


@define_api(name="review_like", url="/api/review/like", auth="customer")
async def review_like(ctx: Ctx, payload: ReviewRef) -> LikeState:
    """Like a review or take the like back; the first like notifies its writer."""
    liked, likes = await review_likes.toggle(ctx, payload.id)
    return LikeState(liked=liked, likes=likes)
