"""The notification vocabulary (the seed's names) and the shapes that travel to clients.

``NotifType`` holds the framework's kinds; an app adds its own as plain strings (its table's
CHECK constraint is the closed list). Frames sent on ``/ws/notif`` are
``{"action": WSMessageAction, ...}``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class NotifType(enum.StrEnum):
    """The framework's notification kinds."""

    MESSAGE = "message"
    ORDER_UPDATE = "order-update"
    PAYMENT_SUCCESS = "payment-success"
    BOOK_APPROVE = "book-approve"
    BOOK_REJECT = "book-reject"
    COMMENT = "comment"
    LIKE = "like"
    FOLLOW = "follow"
    ANNOUNCEMENT = "announcement"


class NotifStatus(enum.StrEnum):
    """Read state of one notification."""

    UNREAD = "unread"
    READ = "read"


class WSMessageAction(enum.StrEnum):
    """What a server frame announces."""

    CONNECTED = "connected"
    NEW_NOTIF = "new-notif"
    UPDATE_NOTIF = "update-notif"
    DELETE_NOTIF = "delete-notif"
    BROADCAST = "broadcast"


class NotifContent(BaseModel):
    """The part of a notification the sender chooses (``notif`` in ``send_notif``'s message)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = Field(min_length=1, max_length=24)
    message: str = Field(min_length=1, max_length=1000)
    status: NotifStatus = NotifStatus.UNREAD
    url: str | None = Field(default=None, max_length=512)
    data: dict[str, Any] | None = None
    thumbnail: str | None = Field(default=None, max_length=512)


class NotifMessage(BaseModel):
    """``send_notif``'s third argument: ``{action, notif: {type, message, ...}}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: WSMessageAction = WSMessageAction.NEW_NOTIF
    notif: NotifContent


class NotifOut(BaseModel):
    """A stored notification as clients see it (HTTP lists and socket frames alike)."""

    id: int
    type: str
    message: str
    status: str
    url: str | None = None
    data: dict[str, Any] | None = None
    thumbnail: str | None = None
    read_at: dt.datetime | None = None
    created_at: dt.datetime
