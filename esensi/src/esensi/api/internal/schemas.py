"""Input and output models of the back office."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from rlib.mail import MailStatus

CfgKey = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[a-z0-9_.-]+$")]


class CfgRead(BaseModel):
    """A cfg entry as staff see it."""

    model_config = ConfigDict(from_attributes=True)

    key: str
    value: str
    is_public: bool
    description: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class CfgListQuery(BaseModel):
    """Paging and a key search."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1)
    limit: int = Field(default=20, ge=1, le=100)
    search: str | None = Field(default=None, max_length=128)


class CfgRef(BaseModel):
    """One entry by key."""

    model_config = ConfigDict(extra="forbid")

    key: CfgKey


class CfgCreate(BaseModel):
    """A new entry; secrets never belong in cfg."""

    model_config = ConfigDict(extra="forbid")

    key: CfgKey
    value: str = Field(max_length=65535)
    is_public: bool = False
    description: str | None = Field(default=None, max_length=65535)


class CfgUpdate(BaseModel):
    """Partial update guarded by the version the editor read."""

    model_config = ConfigDict(extra="forbid")

    key: CfgKey
    version: int = Field(ge=1)
    value: str | None = Field(default=None, max_length=65535)
    is_public: bool | None = None
    description: str | None = Field(default=None, max_length=65535)


class Deleted(BaseModel):
    """How many rows a delete removed."""

    deleted: int


class MailListQuery(BaseModel):
    """Paging and an optional status filter over the outbox."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1)
    limit: int = Field(default=20, ge=1, le=100)
    status: MailStatus | None = None


class MailRead(BaseModel):
    """One outbox message as staff see it: where it is, never its body or template data."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    context: str
    account: str | None
    to_addrs: list[str]
    subject: str
    template_alias: str | None
    locale: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    message_id: str | None
    sent_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class MailRef(BaseModel):
    """One outbox message by id."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID


class MailPreviewQuery(BaseModel):
    """A template alias and the language to render it in."""

    model_config = ConfigDict(extra="forbid")

    template: str = Field(min_length=1, max_length=64)
    lang: Literal["id", "en"] = "id"


class MailPreview(BaseModel):
    """A template rendered with its sample data."""

    template: str
    lang: str
    subject: str
    html: str
    text: str
