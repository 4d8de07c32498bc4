"""Input models of the staff view of notifications."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class NotifStatusUpdate(BaseModel):
    """Staff change a notification's status only (read or unread again)."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["unread", "read"]
