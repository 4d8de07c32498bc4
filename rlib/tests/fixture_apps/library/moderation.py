"""A resource whose scope depends on the caller: writers see their own novels, staff all."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field

from fixture_apps.library.models import Novel
from fixture_apps.library.resources import writer_of
from rlib import Ctx
from rlib.auth.users import SessionUser
from rlib.crud import UNSCOPED, crud_handler


class ModeratedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=64)
    slug: str = Field(max_length=64, pattern=r"^[a-z0-9-]+$")
    id_writer: uuid.UUID | None = None


class ModeratedUpdate(BaseModel):
    title: str | None = Field(default=None, max_length=64)


def writer_or_everyone(ctx: Ctx) -> object:
    user = ctx.user
    if isinstance(user, SessionUser) and "staff" in user.user_types:
        return UNSCOPED
    return writer_of(ctx)


moderated = crud_handler(
    Novel,
    {
        "name": "moderated",
        "url": "/moderated",
        "list": {"order_by": ["slug"]},
        "create": {"schema": ModeratedCreate},
        "update": {"schema": ModeratedUpdate},
        "soft_delete": {"enabled": True},
        "scope": {"field": "id_writer", "value": writer_or_everyone, "choose": True},
    },
)
