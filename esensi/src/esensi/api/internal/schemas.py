"""Input and output models of the back office."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from rlib.limits import PageNumber
from rlib.mail import MailStatus

CfgKey = Annotated[str, StringConstraints(min_length=1, max_length=128, pattern=r"^[a-z0-9_.-]+$")]
Slug = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
]


class CfgCreate(BaseModel):
    """A new entry; secrets never belong in cfg."""

    model_config = ConfigDict(extra="forbid")

    key: CfgKey
    value: str = Field(max_length=65535)
    is_public: bool = False
    description: str | None = Field(default=None, max_length=65535)


class CfgUpdate(BaseModel):
    """The editable fields of an entry (the key is its identity)."""

    model_config = ConfigDict(extra="forbid")

    value: str = Field(max_length=65535)
    is_public: bool = False
    description: str | None = Field(default=None, max_length=65535)


class TaxonCreate(BaseModel):
    """A category, genre or tag; ``id_parent`` places it in the tree."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255)
    slug: Slug
    img: str | None = Field(default=None, max_length=512)
    id_parent: uuid.UUID | None = None
    idx: int = Field(default=0, ge=0, le=100_000)


class MailListQuery(BaseModel):
    """Paging and an optional status filter over the outbox."""

    model_config = ConfigDict(extra="forbid")

    page: PageNumber = 1
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


class NotifCreate(BaseModel):
    """A staff announcement: exactly one of ``user_ids``, ``user_type`` or ``everyone``."""

    model_config = ConfigDict(extra="forbid")

    user_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=10_000)
    user_type: Literal["customer", "author", "publisher", "internal", "affiliate"] | None = None
    everyone: bool = False
    message: str = Field(min_length=1, max_length=1000)
    url: str | None = Field(default=None, max_length=512)
    thumbnail: str | None = Field(default=None, max_length=512)


class NotifCount(BaseModel):
    """How many notifications were written."""

    count: int


class AuditListQuery(BaseModel):
    """Paging and optional filters over the audit trail."""

    model_config = ConfigDict(extra="forbid")

    page: PageNumber = 1
    limit: int = Field(default=20, ge=1, le=100)
    entity: str | None = Field(default=None, min_length=1, max_length=32)
    entity_id: str | None = Field(default=None, min_length=1, max_length=64)
    action: str | None = Field(default=None, min_length=1, max_length=64)
    id_user: uuid.UUID | None = None


class AuditRead(BaseModel):
    """One audit row: who acted, what changed (already masked when written), from where."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    id_user: uuid.UUID | None
    actor_type: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, object] | None
    after: dict[str, object] | None
    ip: str | None
    request_id: str | None
    created_at: dt.datetime


class UserRef(BaseModel):
    """One login by id."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID


class UserRead(BaseModel):
    """A login as support sees it: identity, profiles, providers, 2FA flag — never a secret."""

    id: uuid.UUID
    name: str
    email: str
    email_verified: bool
    username: str | None
    two_factor_enabled: bool
    profiles: dict[str, uuid.UUID]
    providers: list[str]
    active_sessions: int
    created_at: dt.datetime
