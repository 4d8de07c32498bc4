"""Input and output models of the chapter site's listing pages."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_PAGE = 100_000


class PageQuery(BaseModel):
    """A page number (20 books a page)."""

    model_config = ConfigDict(extra="ignore")

    page: int = Field(default=1, ge=1, le=MAX_PAGE)


class SlugPageQuery(PageQuery):
    """A genre, tag or search text by its URL segment, and a page number."""

    slug: str = Field(min_length=1, max_length=255)


class BookCard(BaseModel):
    """A book as lists show it."""

    id: uuid.UUID
    name: str
    slug: str
    cover: str | None
    published_date: dt.datetime | None
    author_id: uuid.UUID
    author_name: str


class SearchHit(BaseModel):
    """A serialised book or a bundle whose name matched."""

    kind: Literal["book", "bundle"]
    id: uuid.UUID
    name: str
    slug: str
    cover: str | None
    author_id: uuid.UUID
    author_name: str


class TaxonNode(BaseModel):
    """A genre with its sub-genres."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str
    img: str | None
    children: list[TaxonNode]


class TagCount(BaseModel):
    """A tag and how many visible books carry it."""

    id: uuid.UUID
    name: str
    slug: str
    books: int


class IndexData(BaseModel):
    """The chapter site's home: latest books, the genre tree, the most used tags."""

    latest: list[BookCard]
    genres: list[TaxonNode]
    tags: list[TagCount]
