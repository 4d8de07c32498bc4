"""Input and output models of the author and publisher portal."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict


class NoInput(BaseModel):
    """No parameters: identity comes from the session, never from the body."""

    model_config = ConfigDict(extra="ignore")


class CatalogueItem(BaseModel):
    """A book, product or bundle in an author's recent list."""

    id: uuid.UUID
    name: str
    slug: str
    status: str
    created_at: dt.datetime


class AuthorProfile(BaseModel):
    """The author's own profile; bank details are never part of it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    biography: str | None
    social_media: dict[str, object] | None
    avatar: str | None
    version: int


class AuthorDetail(BaseModel):
    """Profile, counts and the latest ten of each kind."""

    author: AuthorProfile
    counts: dict[str, int]
    recent: dict[str, list[CatalogueItem]]
