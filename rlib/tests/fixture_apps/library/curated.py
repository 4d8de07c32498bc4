"""A resource only staff write while writers may read its list, and whose restores are logged."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from fixture_apps.library.models import Novel
from rlib import Ctx
from rlib.crud import crud_handler

RESTORED: list[list[Any]] = []


class CuratedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=64)
    slug: str = Field(max_length=64, pattern=r"^[a-z0-9-]+$")
    id_writer: uuid.UUID


async def log_restored(ctx: Ctx, keys: list[Any]) -> None:
    RESTORED.append(keys)


curated = crud_handler(
    Novel,
    {
        "name": "curated",
        "url": "/curated",
        "auth": ("staff",),
        "action_auth": {"list": ("writer", "staff")},
        "create": {"schema": CuratedCreate},
        "soft_delete": {"enabled": True},
        "restore": {"after": log_restored},
    },
)
