"""The mail outbox: mail is rendered at enqueue and sent by the worker after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import Base, non_negative, partial_unique, status_column
from esensi.models.enums import Locale, MailContext, MailStatus
from rlib.db.base import Timestamps, UUIDPrimaryKey, vocabulary_check
from rlib.db.types import BoundedSmallInteger, BoundedString, BoundedText, UtcDateTime, json_type


class MailOutbox(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (
        vocabulary_check("context", MailContext, "context"),
        vocabulary_check("status", MailStatus, "status"),
        *non_negative("attempts"),
        # The same business event (e.g. "payment-success:<order id>") enqueues once.
        partial_unique("dedupe_key", where="dedupe_key IS NOT NULL"),
        Index(None, "status", "next_attempt_at"),
    )

    context: Mapped[str] = mapped_column(BoundedString(16))
    # The SMTP account that sent it, chosen at send time by the context's failover order.
    account: Mapped[str | None] = mapped_column(BoundedString(32))
    to_addrs: Mapped[list[str]] = mapped_column(json_type())
    subject: Mapped[str] = mapped_column(BoundedString(998))
    html: Mapped[str | None] = mapped_column(BoundedText())
    text: Mapped[str | None] = mapped_column(BoundedText())
    template_alias: Mapped[str | None] = mapped_column(BoundedString(64))
    # May hold URLs with tokens until sent; redacted afterwards.
    template_model: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    locale: Mapped[str] = mapped_column(
        BoundedString(5), default=Locale.ID.value, server_default=Locale.ID.value
    )
    headers: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    dedupe_key: Mapped[str | None] = mapped_column(BoundedString(128))
    status: Mapped[str] = status_column(MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(BoundedSmallInteger, default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(BoundedText())
    message_id: Mapped[str | None] = mapped_column(BoundedString(255))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
