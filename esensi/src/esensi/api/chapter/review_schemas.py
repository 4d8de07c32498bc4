"""Input and output models of reviews, likes, follows and reading progress."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from esensi.api.chapter.schemas import MAX_PAGE
from esensi.models.review import COMMENT_MAX


class ReviewListQuery(BaseModel):
    """A book's reviews, a page at a time (20 top-level reviews a page)."""

    model_config = ConfigDict(extra="ignore")

    id_book: uuid.UUID
    page: int = Field(default=1, ge=1, le=MAX_PAGE)


class ReviewRead(BaseModel):
    """A review or reply with its writer's public name, its likes and whether the caller liked
    it; ``replies`` holds the oldest 20 of ``reply_count`` (empty on a reply)."""

    id: uuid.UUID
    id_book: uuid.UUID
    parent: uuid.UUID | None
    comments: str
    rating: int | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    user_id: uuid.UUID
    user_name: str
    user_image: str | None
    likes: int
    liked: bool
    reply_count: int
    replies: list[ReviewRead]


class ReviewCreate(BaseModel):
    """A top-level review (``rating`` 1-5) or a reply (``parent``, no rating)."""

    model_config = ConfigDict(extra="forbid")

    id_book: uuid.UUID
    comments: str = Field(min_length=1, max_length=COMMENT_MAX)
    rating: int | None = Field(default=None, ge=1, le=5)
    parent: uuid.UUID | None = None


class ReviewUpdate(BaseModel):
    """New text and/or rating of one's own review, at the version last read."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    version: int = Field(ge=1, le=2_147_483_647)
    comments: str | None = Field(default=None, min_length=1, max_length=COMMENT_MAX)
    rating: int | None = Field(default=None, ge=1, le=5)


class ReviewRef(BaseModel):
    """One review by id."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID


class ReviewState(BaseModel):
    """A review after a write."""

    id: uuid.UUID
    id_book: uuid.UUID
    parent: uuid.UUID | None
    comments: str
    rating: int | None
    version: int
    deleted: bool


class LikeState(BaseModel):
    """Whether the caller now likes the review, and its like count."""

    liked: bool
    likes: int


class FollowRef(BaseModel):
    """An author by id."""

    model_config = ConfigDict(extra="forbid")

    id_author: uuid.UUID


class FollowState(BaseModel):
    """Whether the caller now follows the author, and the author's follower count."""

    following: bool
    followers: int


class ProgressSave(BaseModel):
    """The last chapter read and, optionally, how far into the book."""

    model_config = ConfigDict(extra="forbid")

    id_chapter: uuid.UUID
    percent: float | None = Field(default=None, ge=0, le=100)


class ProgressState(BaseModel):
    """The saved reading position."""

    id_book: uuid.UUID
    id_chapter: uuid.UUID
    number: int
    percent: float
