"""Input and output models of an own book's chapters."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from esensi.services.chapters import MAX_NUMBER

MAX_BATCH = 100


class ChapterFields(BaseModel):
    """What an author writes; ``content`` is an Editor.js document (checked by the service)."""

    model_config = ConfigDict(extra="forbid")

    number: int | None = Field(default=None, ge=1, le=MAX_NUMBER)
    name: str = Field(min_length=1, max_length=255)
    content: dict[str, Any] = Field(default_factory=lambda: {"blocks": []})
    is_free: bool = False


class ChapterCreate(ChapterFields):
    """One new draft chapter of an own chapter-book; without ``number`` it comes last."""

    id_book: uuid.UUID


class ChapterCreates(BaseModel):
    """Up to 100 new chapters of one book, in one transaction."""

    model_config = ConfigDict(extra="forbid")

    id_book: uuid.UUID
    chapters: list[ChapterFields] = Field(min_length=1, max_length=MAX_BATCH)


class ChapterChange(BaseModel):
    """A partial edit of one chapter; ``version``, when given, must be the current one."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)
    number: int | None = Field(default=None, ge=1, le=MAX_NUMBER)
    name: str | None = Field(default=None, min_length=1, max_length=255)
    content: dict[str, Any] | None = None
    is_free: bool | None = None


class ChapterChanges(BaseModel):
    """Up to 100 edits, all applied or none."""

    model_config = ConfigDict(extra="forbid")

    chapters: list[ChapterChange] = Field(min_length=1, max_length=MAX_BATCH)


class ChapterIds(BaseModel):
    """Up to 100 own chapters by id."""

    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BATCH)


class ChapterListQuery(BaseModel):
    """One page of a book's chapters in reading order, optionally searched by name."""

    model_config = ConfigDict(extra="forbid")

    id_book: uuid.UUID
    search: str | None = Field(default=None, min_length=1, max_length=200)
    status: str | None = Field(default=None, pattern=r"^(draft|published)$")
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)


class ChapterOrder(BaseModel):
    """Every chapter of the book, each once, in the new reading order."""

    model_config = ConfigDict(extra="forbid")

    id_book: uuid.UUID
    ids: list[uuid.UUID] = Field(min_length=1, max_length=10_000)


class ChapterSummary(BaseModel):
    """A chapter without its content (lists, reorder, publish)."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    id_book: uuid.UUID
    number: int
    name: str
    is_free: bool
    status: str
    published_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ChapterOut(ChapterSummary):
    """A chapter with its Editor.js content."""

    content: dict[str, Any]


class Deleted(BaseModel):
    """How many rows a bulk delete removed."""

    deleted: int
