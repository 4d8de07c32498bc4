"""The setting resource, open to anyone so the tests exercise input checks only."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from fixture_apps.keyed.models import Setting
from rlib.crud import crud_handler, op


class SettingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=16)
    value: str
    info: dict[str, Any] | None = None


class SettingChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str
    info: dict[str, Any] | None = None


setting = crud_handler(
    Setting,
    {
        "name": "setting",
        "url": "/setting",
        "auth": "public",
        "list": {"filters": {"key": op.eq | op.in_ | op.contains}, "order_by": ["key"]},
        "create": {"schema": SettingIn},
        "update": {"schema": SettingChange},
    },
)
