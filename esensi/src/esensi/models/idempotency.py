"""Stored responses of requests sent with an Idempotency-Key."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import Base
from esensi.models.enums import IdempotencyStatus
from rlib.db.base import CreatedAt, UUIDPrimaryKey, vocabulary_check
from rlib.db.types import BoundedChar, BoundedSmallInteger, BoundedString, UtcDateTime, json_type


class IdempotencyKey(UUIDPrimaryKey, CreatedAt, Base):
    """Same key and body replays the response; a different body is 422, in progress is 409."""

    __tablename__ = "idempotency_key"
    __table_args__ = (
        UniqueConstraint("scope", "key"),
        vocabulary_check("status", IdempotencyStatus, "status"),
    )

    # The user id and the endpoint name.
    scope: Mapped[str] = mapped_column(BoundedString(128))
    key: Mapped[str] = mapped_column(BoundedString(128))
    request_hash: Mapped[str] = mapped_column(BoundedChar(64))
    status: Mapped[str] = mapped_column(BoundedString(16))
    response_status: Mapped[int | None] = mapped_column(BoundedSmallInteger)
    response_body: Mapped[Any] = mapped_column(json_type(), nullable=True)
    # Indexed for the purge of expired keys.
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
