"""The reader's chapter library and saving the reading position."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from esensi.api.chapter.review_schemas import ProgressSave, ProgressState
from esensi.api.chapter.schemas import BookCard, PageQuery
from esensi.services import reading_progress
from rlib import Ctx, Page, define_api
from rlib.auth.users import require_profile

PAGE_SIZE = 20


class LibraryBook(BookCard):
    """An owned book with when it was granted and where the reader stopped (null: not
    started)."""

    granted_at: dt.datetime
    chapter_id: uuid.UUID | None
    chapter_number: int | None
    chapter_name: str | None
    percent: float | None
    read_at: dt.datetime | None


@define_api(name="library", url="/library", methods=("GET", "POST"), auth="customer")
async def library(ctx: Ctx, payload: PageQuery) -> Page[LibraryBook]:
    """The caller's serialised books, latest purchase first, with reading progress."""
    customer = require_profile(ctx, "customer")
    listing = await reading_progress.library(ctx, customer, page=payload.page, limit=PAGE_SIZE)
    items = [LibraryBook.model_validate(dict(row)) for row in listing.rows]
    return Page(items=items, page=payload.page, limit=PAGE_SIZE, total=listing.total)


@define_api(name="chapter_progress", url="/api/chapter/progress", auth="customer")
async def chapter_progress(ctx: Ctx, payload: ProgressSave) -> ProgressState:
    """Remember the last chapter read (free, or of an owned book) and how far in."""
    customer = require_profile(ctx, "customer")
    percent = None if payload.percent is None else Decimal(str(payload.percent))
    saved = await reading_progress.save(ctx, customer, payload.id_chapter, percent)
    return ProgressState(
        id_book=saved["id_book"],
        id_chapter=saved["id"],
        number=saved["number"],
        percent=float(saved["percent"]),
    )
