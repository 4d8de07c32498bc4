"""The outbox table's columns (:class:`OutboxMixin`) and the insert that queues one message.

The app declares the concrete table on its own MetaData::

    class MailOutbox(OutboxMixin, Base):
        __tablename__ = "mail_outbox"
        __table_args__ = outbox_table_args(["main", "auth"])

A row is written in the caller's transaction, so a rolled-back request queues nothing: on the
unit of work's raw connection (``UnitOfWork.write_connection``, ADR 0016), which a session asked
for later joins, or on the session's own connection when the session came first.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import CheckConstraint, Index, Table, insert, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column

from rlib.db.base import Timestamps, UUIDPrimaryKey, utcnow, vocabulary_check
from rlib.db.compiled import CompiledInsert, OnConflictDoNothing
from rlib.db.ids import uuid7
from rlib.db.types import BoundedSmallInteger, BoundedString, BoundedText, UtcDateTime, json_type
from rlib.scope import Scope

_DEDUPE_WHERE = "dedupe_key IS NOT NULL"


class MailStatus(enum.StrEnum):
    """Where a message is: waiting, claimed by a worker, delivered, or given up on."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMixin(UUIDPrimaryKey, Timestamps):
    """Columns of the mail outbox (``spec/models.md`` section 8)."""

    context: Mapped[str] = mapped_column(BoundedString(16))
    # The account that delivered it, chosen at send time by the context's failover order.
    account: Mapped[str | None] = mapped_column(BoundedString(32))
    to_addrs: Mapped[list[str]] = mapped_column(json_type())
    subject: Mapped[str] = mapped_column(BoundedString(998))
    html: Mapped[str | None] = mapped_column(BoundedText())
    text: Mapped[str | None] = mapped_column(BoundedText())
    template_alias: Mapped[str | None] = mapped_column(BoundedString(64))
    # May hold URLs with tokens until sent; redacted once delivered.
    template_model: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    locale: Mapped[str] = mapped_column(BoundedString(5), default="id", server_default="id")
    headers: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    dedupe_key: Mapped[str | None] = mapped_column(BoundedString(128))
    status: Mapped[str] = mapped_column(
        BoundedString(16), default=MailStatus.QUEUED.value, server_default=MailStatus.QUEUED.value
    )
    attempts: Mapped[int] = mapped_column(BoundedSmallInteger, default=0, server_default="0")
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(BoundedText())
    message_id: Mapped[str | None] = mapped_column(BoundedString(255))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


def outbox_table_args(contexts: Iterable[str]) -> tuple[CheckConstraint | Index, ...]:
    """Constraints and indexes of the outbox table, for ``__table_args__``.

    ``contexts`` is the app's closed list of mail contexts. The same ``dedupe_key`` (one
    business event) can be queued once; the claim query reads ``(status, next_attempt_at)``.
    """
    return (
        vocabulary_check("context", list(contexts), "context"),
        vocabulary_check("status", MailStatus, "status"),
        CheckConstraint("attempts >= 0", name="attempts_nonneg"),
        Index(
            None,
            "dedupe_key",
            unique=True,
            postgresql_where=text(_DEDUPE_WHERE),
            sqlite_where=text(_DEDUPE_WHERE),
        ),
        Index(None, "status", "next_attempt_at"),
    )


async def enqueue(
    scope: Scope,
    model: type[OutboxMixin],
    *,
    values: Mapping[str, object],
    message_id_domain: str,
) -> uuid.UUID | None:
    """Insert one queued row in ``scope``'s transaction; returns its id, or None when a row with
    the same ``dedupe_key`` exists already (the event was queued before).

    The ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` is compiled once per table, dialect and
    column set and runs on the unit's raw connection (:mod:`rlib.db.compiled`): opening an
    ``AsyncSession`` for it cost about as much CPU as the rest of a create request (bench
    scenario c_outbox). The session path remains for a dialect without ``ON CONFLICT``.
    """
    row_id = uuid7()
    now = utcnow()
    row = {
        **values,
        "id": row_id,
        "status": MailStatus.QUEUED.value,
        "attempts": 0,
        "next_attempt_at": now,
        "message_id": f"<{row_id}@{message_id_domain}>",
        "created_at": now,
        "updated_at": now,
    }
    unit = scope.unit
    dialect = unit.dialect
    inserter = _inserter(model)
    if unit.fast_path and inserter.supports(tuple(row), dialect):
        found = await inserter.one_or_none(await unit.write_connection(), dialect, row)
        return None if found is None else found["id"]
    conn = await scope.db.connection()
    result = await conn.execute(_insert(model, conn.dialect), row)
    return result.scalar_one_or_none()


async def enqueue_many(
    scope: Scope,
    model: type[OutboxMixin],
    *,
    rows: Sequence[Mapping[str, object]],
    message_id_domain: str,
) -> list[uuid.UUID]:
    """Insert queued rows with one multi-row ``INSERT … ON CONFLICT DO NOTHING RETURNING id``
    in ``scope``'s transaction; returns the ids queued (a ``dedupe_key`` queued before is
    skipped). Every row must carry the same keys."""
    if not rows:
        return []
    now = utcnow()
    full = []
    for values in rows:
        row_id = uuid7()
        full.append(
            {
                **values,
                "id": row_id,
                "status": MailStatus.QUEUED.value,
                "attempts": 0,
                "next_attempt_at": now,
                "message_id": f"<{row_id}@{message_id_domain}>",
                "created_at": now,
                "updated_at": now,
            }
        )
    conn = await scope.db.connection()
    result = await conn.execute(_insert(model, conn.dialect), full)
    return list(result.scalars())


_DEDUPE = OnConflictDoNothing(("dedupe_key",), _DEDUPE_WHERE)
_INSERTERS: dict[type[OutboxMixin], CompiledInsert] = {}


def _inserter(model: type[OutboxMixin]) -> CompiledInsert:
    """The compiled ``INSERT … ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`` of ``model``."""
    found = _INSERTERS.get(model)
    if found is None:
        table: Table = model.__table__  # type: ignore[attr-defined]  # the concrete mapped class
        found = _INSERTERS[model] = CompiledInsert(table, [table.c.id], on_conflict=_DEDUPE)
    return found


_INSERTS: dict[tuple[type[OutboxMixin], str], Any] = {}


def _insert(model: type[OutboxMixin], dialect: Dialect) -> Any:  # dialect insert constructs differ
    """The same insert as an SQLAlchemy statement for the session path, built once."""
    found = _INSERTS.get((model, dialect.name))
    if found is None:
        table: Table = model.__table__  # type: ignore[attr-defined]  # the concrete mapped class
        try:
            stmt: Any = _DEDUPE.statement(table, dialect)
        except NotImplementedError:  # no ON CONFLICT on this dialect: a plain insert
            stmt = insert(table)
        found = _INSERTS[(model, dialect.name)] = stmt.returning(table.c.id)
    return found
