"""Input and output models of the back office."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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
