"""Input and output models of the back office."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

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
