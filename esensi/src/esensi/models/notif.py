"""In-app notifications: one row per recipient, pushed over the bus on commit."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Identity, Index
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import BIGINT_IDENTITY, Base, fk, partial_index, status_column
from esensi.models.enums import NotifStatus, NotifType
from rlib.db.base import CreatedAt, vocabulary_check
from rlib.db.types import BoundedString, UtcDateTime, json_type


class Notif(CreatedAt, Base):
    """``id`` is a monotonic cursor: clients catch up with "everything after id N"."""

    __tablename__ = "notif"
    __table_args__ = (
        vocabulary_check("type", NotifType, "type"),
        vocabulary_check("status", NotifStatus, "status"),
        partial_index("id_user", where="status = 'unread'", name="ix_notif_id_user_unread"),
    )

    id: Mapped[int] = mapped_column(BIGINT_IDENTITY, Identity(), primary_key=True)
    id_user: Mapped[uuid.UUID] = mapped_column(fk("auth_user.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(BoundedString(24))
    # Already rendered, in Indonesian.
    message: Mapped[str] = mapped_column(BoundedString(1000))
    status: Mapped[str] = status_column(NotifStatus.UNREAD, length=8)
    url: Mapped[str | None] = mapped_column(BoundedString(512))
    data: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    thumbnail: Mapped[str | None] = mapped_column(BoundedString(512))
    read_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# Leads with id_user, so it is also that foreign key's index.
Index("ix_notif_id_user_id_desc", Notif.id_user, Notif.id.desc())
