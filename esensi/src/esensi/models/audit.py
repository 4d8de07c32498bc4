"""The audit trail of staff writes, order and ledger changes, profile links and role changes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Identity, Index
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import BIGINT_IDENTITY, Base, fk
from esensi.models.enums import ActorType
from rlib.db.base import CreatedAt, vocabulary_check
from rlib.db.types import BoundedString, json_type


class AuditLog(CreatedAt, Base):
    """Append-only; sensitive fields in ``before``/``after`` are masked before writing."""

    __tablename__ = "audit_log"
    # (id_user, created_at) leads with id_user, so it is also that foreign key's index.
    __table_args__ = (
        vocabulary_check("actor_type", ActorType, "actor_type"),
        Index(None, "entity", "entity_id"),
        Index(None, "id_user", "created_at"),
    )

    id: Mapped[int] = mapped_column(BIGINT_IDENTITY, Identity(), primary_key=True)
    id_user: Mapped[uuid.UUID | None] = mapped_column(fk("auth_user.id"))
    actor_type: Mapped[str] = mapped_column(BoundedString(16))
    # e.g. "book.approve", "payment.refund", "withdrawal.paid".
    action: Mapped[str] = mapped_column(BoundedString(64))
    entity: Mapped[str] = mapped_column(BoundedString(32))
    entity_id: Mapped[str] = mapped_column(BoundedString(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    after: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    ip: Mapped[str | None] = mapped_column(BoundedString(45))
    request_id: Mapped[str | None] = mapped_column(BoundedString(64))
