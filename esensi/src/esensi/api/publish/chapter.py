"""Chapters of an own chapter-book: create (one or up to 100), update (one or up to 100), delete,
list in reading order, reorder and publish. Another owner's book or chapter is a 404."""

from __future__ import annotations

from esensi.api.publish.chapter_schemas import (
    ChapterChange,
    ChapterChanges,
    ChapterCreate,
    ChapterCreates,
    ChapterIds,
    ChapterListQuery,
    ChapterOrder,
    ChapterOut,
    ChapterSummary,
    Deleted,
)
from esensi.services import chapters
from esensi.services.chapter_publish import publish
from rlib import Ctx, Page, define_api

# A chapter's Editor.js content may reach 2 MiB; a batch carries up to 100 chapters but is
# capped well below 100 x 2 MiB (split larger imports into several requests).
ONE_CHAPTER_BODY = 3 * 1024 * 1024
BATCH_BODY = 16 * 1024 * 1024


@define_api(
    name="chapter_create",
    url="/chapter/create",
    methods=("POST",),
    max_body_bytes=ONE_CHAPTER_BODY,
    created=True,
)
async def chapter_create(ctx: Ctx, payload: ChapterCreate) -> ChapterOut:
    """One draft chapter; without ``number`` it follows the last one."""
    item = payload.model_dump(exclude={"id_book"})
    (row,) = await chapters.create(ctx, payload.id_book, [item], loc=("body",))
    return ChapterOut.model_validate(row)


@define_api(
    name="chapter_creates",
    url="/chapter/creates",
    methods=("POST",),
    max_body_bytes=BATCH_BODY,
    created=True,
)
async def chapter_creates(ctx: Ctx, payload: ChapterCreates) -> list[ChapterSummary]:
    """Up to 100 draft chapters of one book, all or none."""
    items = [item.model_dump() for item in payload.chapters]
    rows = await chapters.create(ctx, payload.id_book, items, loc=("body", "chapters"))
    return [ChapterSummary.model_validate(row) for row in rows]


@define_api(
    name="chapter_update", url="/chapter/update", methods=("POST",), max_body_bytes=ONE_CHAPTER_BODY
)
async def chapter_update(ctx: Ctx, payload: ChapterChange) -> ChapterOut:
    """Number, name, content, is_free of an own chapter (``version``: optimistic lock)."""
    await chapters.update_many(ctx, [payload.model_dump()], loc=("body",))
    return ChapterOut.model_validate(await chapters.one(ctx, payload.id))


@define_api(
    name="chapter_updates", url="/chapter/updates", methods=("POST",), max_body_bytes=BATCH_BODY
)
async def chapter_updates(ctx: Ctx, payload: ChapterChanges) -> list[ChapterSummary]:
    """Up to 100 edits, all applied or none (numbers may be swapped within the batch)."""
    changes = [change.model_dump() for change in payload.chapters]
    ids = await chapters.update_many(ctx, changes, loc=("body", "chapters"))
    return [ChapterSummary.model_validate(row) for row in await chapters.summaries(ctx, ids)]


@define_api(name="chapter_deletes", url="/chapter/deletes", methods=("POST",))
async def chapter_deletes(ctx: Ctx, payload: ChapterIds) -> Deleted:
    """Remove own chapters for good; one id that is not the caller's deletes nothing (404)."""
    return Deleted(deleted=await chapters.delete_many(ctx, payload.ids))


@define_api(name="chapter_list", url="/chapter/list", methods=("GET", "POST"))
async def chapter_list(ctx: Ctx, payload: ChapterListQuery) -> Page[ChapterSummary]:
    """An own book's chapters by number, without content; ``search`` looks in names."""
    rows, total = await chapters.page(
        ctx,
        payload.id_book,
        search=payload.search,
        status=payload.status,
        page=payload.page,
        limit=payload.limit,
    )
    return Page(
        items=[ChapterSummary.model_validate(row) for row in rows],
        page=payload.page,
        limit=payload.limit,
        total=total,
    )


@define_api(name="chapter_reorder", url="/chapter/reorder", methods=("POST",))
async def chapter_reorder(ctx: Ctx, payload: ChapterOrder) -> list[ChapterSummary]:
    """Renumber every chapter of an own book 1..n in the given order."""
    rows = await chapters.reorder(ctx, payload.id_book, payload.ids)
    return [ChapterSummary.model_validate(row) for row in rows]


@define_api(name="chapter_publish", url="/chapter/publish", methods=("POST",))
async def chapter_publish(ctx: Ctx, payload: ChapterIds) -> list[ChapterSummary]:
    """draft → published (the book must be a published chapter-book); followers are told."""
    rows = await publish(ctx, payload.ids)
    return [ChapterSummary.model_validate(row) for row in rows]
