"""Input and output models of the account endpoints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["customer", "author", "publisher", "internal", "affiliate"]


class RoleQuery(BaseModel):
    """Which roles to check for the caller."""

    model_config = ConfigDict(extra="ignore")

    roles: list[Role] = Field(min_length=1, max_length=5)
