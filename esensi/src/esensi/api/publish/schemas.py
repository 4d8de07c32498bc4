"""Input and output models of the author and publisher portal."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from esensi.models.enums import ContentType


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


Slug = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]


class BookUpdate(BaseModel):
    """What an author may change on a draft or rejected book (never status, owner or product)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255)
    slug: Slug
    alias: str | None = Field(default=None, max_length=255)
    submitted_price: Money = Decimal(0)
    desc: str | None = Field(default=None, max_length=65535)
    info: dict[str, object] | None = None
    img_file: list[Annotated[str, StringConstraints(max_length=512)]] = Field(
        default_factory=list, max_length=20
    )
    cover: str | None = Field(default=None, max_length=512)
    sku: str | None = Field(default=None, max_length=64)
    content_type: ContentType = ContentType.EBOOK
    is_chapter: bool = False


class BookEdit(BookUpdate):
    """An edit; ``status: "submitted"`` also submits the book (the original client's way)."""

    status: Literal["submitted"] | None = None


class BookCreate(BookUpdate):
    """A new draft; a publisher names which of its active authors it is for."""

    id_author: uuid.UUID | None = None


class BookRef(BaseModel):
    """One own book by id."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID


class BookState(BaseModel):
    """A book's id, status and version after a workflow step."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: str
    version: int


class ApprovalEntry(BaseModel):
    """One review event; the reviewer's identity stays inside the back office."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: str
    comment: str | None
    created_at: dt.datetime


class ChangesQuery(BaseModel):
    """Which book's change log, in which order, which page."""

    model_config = ConfigDict(extra="forbid")

    id_book: uuid.UUID
    order: Literal["asc", "desc"] = "desc"
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)
    offset: int | None = Field(default=None, ge=0, le=100_000)  # the original client's paging

    def skip(self) -> int:
        """Rows before this page: ``offset`` when the caller pages that way, else by ``page``."""
        return self.offset if self.offset is not None else (self.page - 1) * self.limit


class ApprovalsQuery(BaseModel):
    """Which book's review history."""

    model_config = ConfigDict(extra="forbid")

    id_book: uuid.UUID


class ChangeEntry(BaseModel):
    """One edit: ``{"old": {field: before}, "new": {field: after}}``."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    id_user: uuid.UUID | None
    changes: dict[str, object]
    created_at: dt.datetime
