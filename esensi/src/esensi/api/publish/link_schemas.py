"""Input and output models of the publisher ↔ author links."""

from __future__ import annotations

import datetime as dt
import uuid

from pydantic import BaseModel, ConfigDict, Field

from esensi.models.enums import LinkStatus


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LinkInvite(_Input):
    """The author the calling publisher invites (the publisher comes from the session)."""

    author_id: uuid.UUID


class LinkAnswer(_Input):
    """An invitation to the calling author, accepted (``true``) or declined (``false``)."""

    id: uuid.UUID
    accept: bool


class LinkRef(_Input):
    """One of the caller's links."""

    id: uuid.UUID


class LinkQuery(_Input):
    """A page of the caller's links, optionally of one status."""

    status: LinkStatus | None = None
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)


class LinkView(BaseModel):
    """A link with both sides' names."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: str
    publisher_id: uuid.UUID
    publisher_name: str
    author_id: uuid.UUID
    author_name: str
    created_at: dt.datetime
    updated_at: dt.datetime


class LinkRemoved(BaseModel):
    """The id of the removed link."""

    id: uuid.UUID
