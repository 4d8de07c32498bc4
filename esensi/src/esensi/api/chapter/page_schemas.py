"""Input and output models of the chapter site's detail pages: title, chapter, author."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from esensi.api.chapter.review_schemas import ReviewRead
from esensi.api.chapter.schemas import MAX_PAGE, BookCard


class TitleQuery(BaseModel):
    """A book by slug."""

    model_config = ConfigDict(extra="ignore")

    slug: str = Field(min_length=1, max_length=255)


class ChapterQuery(BaseModel):
    """A chapter by its book's slug and its number; the trailing slug is decoration."""

    model_config = ConfigDict(extra="ignore")

    title: str = Field(min_length=1, max_length=255)
    number: int = Field(ge=1, le=1_000_000)
    slug: str = Field(default="", max_length=255)


class AuthorQuery(BaseModel):
    """An author by login username (or author id) and a page of their books."""

    model_config = ConfigDict(extra="ignore")

    username: str = Field(min_length=1, max_length=64)
    page: int = Field(default=1, ge=1, le=MAX_PAGE)


class TaxonRef(BaseModel):
    """A genre or tag by name and slug."""

    id: uuid.UUID
    name: str
    slug: str


class AuthorCard(BaseModel):
    """The author as the chapter site shows them."""

    id: uuid.UUID
    name: str
    avatar: str | None
    biography: str | None
    username: str | None
    followers: int
    following: bool


class Offer(BaseModel):
    """The published product that unlocks the book's chapters."""

    id: uuid.UUID
    slug: str
    price: Decimal
    strike_price: Decimal | None
    currency: str


class ChapterEntry(BaseModel):
    """A chapter in the table of contents (never its content)."""

    id: uuid.UUID
    number: int
    name: str
    is_free: bool
    published_at: dt.datetime | None


class RatingSummary(BaseModel):
    """Average of the live top-level ratings and their number."""

    average: float | None
    count: int


class TitleBook(BaseModel):
    """A book's own fields on its title page."""

    id: uuid.UUID
    name: str
    slug: str
    alias: str | None
    desc: str | None
    cover: str | None
    published_date: dt.datetime | None
    content_type: str


class TitlePage(BaseModel):
    """A book's title page: genres, tags, author, chapters, rating and first reviews."""

    book: TitleBook
    genres: list[TaxonRef]
    tags: list[TaxonRef]
    author: AuthorCard
    offer: Offer | None
    entitled: bool
    chapters: list[ChapterEntry]
    rating: RatingSummary
    reviews: list[ReviewRead]
    reviews_total: int


class ChapterBook(BaseModel):
    """The book a chapter belongs to."""

    id: uuid.UUID
    name: str
    slug: str
    cover: str | None


class ChapterPage(BaseModel):
    """One chapter: its content when free or entitled, else ``locked`` and the offer."""

    book: ChapterBook
    author_id: uuid.UUID
    author_name: str
    genres: list[TaxonRef]
    chapter: ChapterEntry
    locked: bool
    content: dict[str, Any] | None
    offer: Offer | None
    prev: int | None
    next: int | None


class AuthorPage(BaseModel):
    """An author's profile and one page of their books."""

    author: AuthorCard
    books: list[BookCard]
    total: int
    page: int
