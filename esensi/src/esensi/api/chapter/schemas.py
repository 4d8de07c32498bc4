"""Input and output models of the chapter site's endpoints."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field


class GenrePageQuery(BaseModel):
    """A genre by slug and a page number (20 books a page)."""

    model_config = ConfigDict(extra="ignore")

    slug: str = Field(min_length=1, max_length=255)
    page: int = Field(default=1, ge=1, le=100_000)


class BookCard(BaseModel):
    """A book as lists show it."""

    id: uuid.UUID
    name: str
    slug: str
    cover: str | None
    published_date: dt.datetime | None
    author_id: uuid.UUID
    author_name: str
