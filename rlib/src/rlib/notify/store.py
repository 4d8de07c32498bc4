"""Queries over the app's notification table: insert, list, count, mark, delete, catch-up.

The app declares the table (``spec/models.md`` section 6: ``id`` a monotonic bigint, the
recipient ``id_user``, ``type``, ``message``, ``status``, ``url``, ``data``, ``thumbnail``,
``read_at``, ``created_at``) and hands it over; everything here is Core on that ``Table``.
Every read and write is scoped to one recipient (``WHERE id_user = :me``), so a foreign id is
simply not found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, Table, and_, delete, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rlib.db.base import utcnow
from rlib.notify.types import NotifContent, NotifOut, NotifStatus

# Columns a client sees, in NotifOut's order.
OUT_COLUMNS = (
    "id",
    "type",
    "message",
    "status",
    "url",
    "data",
    "thumbnail",
    "read_at",
    "created_at",
)


def _out(table: Table) -> list[Any]:
    return [table.c[name] for name in OUT_COLUMNS]


def to_out(row: Any) -> NotifOut:
    """A result row (with :data:`OUT_COLUMNS`) as the client model."""
    return NotifOut.model_validate(dict(row._mapping))


def _values(content: NotifContent, now: dt.datetime) -> dict[str, Any]:
    return {
        "type": content.type,
        "message": content.message,
        "status": content.status.value,
        "url": content.url,
        "data": content.data,
        "thumbnail": content.thumbnail,
        "read_at": now if content.status is NotifStatus.READ else None,
        "created_at": now,
    }


async def insert_for_users(
    db: AsyncSession, table: Table, user_ids: Sequence[Any], content: NotifContent
) -> list[tuple[Any, NotifOut]]:
    """One multi-row ``INSERT … RETURNING`` (one row per recipient), in ``db``'s transaction;
    returns (recipient, notification) pairs."""
    if not user_ids:
        return []
    values = _values(content, utcnow())
    rows = [{**values, "id_user": user_id} for user_id in user_ids]
    result = await db.execute(insert(table).values(rows).returning(*_out(table), table.c.id_user))
    return [(row.id_user, to_out(row)) for row in result]


async def insert_from_select(
    db: AsyncSession, table: Table, users: Select[Any], content: NotifContent
) -> tuple[int, int, int]:
    """``INSERT … SELECT`` one row per user id ``users`` yields; returns (first id, last id,
    count), ``(0, -1, 0)`` when nobody matched. One statement whatever the audience's size."""
    values = _values(content, utcnow())
    names = list(values)
    source = users.subquery()
    chosen = select(
        source.c[next(iter(source.c.keys()))],
        *(literal(values[name], type_=table.c[name].type) for name in names),
    )
    stmt = insert(table).from_select(["id_user", *names], chosen).returning(table.c.id)
    ids = list((await db.execute(stmt)).scalars())
    if not ids:
        return 0, -1, 0
    return min(ids), max(ids), len(ids)


def _mine(table: Table, user_id: Any) -> Any:
    return table.c.id_user == user_id


async def list_own(
    db: AsyncSession,
    table: Table,
    user_id: Any,
    *,
    status: str | None = None,
    type_: str | None = None,
    before_id: int | None = None,
    limit: int = 20,
) -> list[NotifOut]:
    """The user's notifications, newest first, optionally filtered, older than ``before_id``."""
    where = [_mine(table, user_id)]
    if status is not None:
        where.append(table.c.status == status)
    if type_ is not None:
        where.append(table.c.type == type_)
    if before_id is not None:
        where.append(table.c.id < before_id)
    stmt = select(*_out(table)).where(*where).order_by(table.c.id.desc()).limit(limit)
    return [to_out(row) for row in await db.execute(stmt)]


async def after(
    db: AsyncSession, table: Table, user_id: Any, after_id: int, *, limit: int = 500
) -> list[NotifOut]:
    """Catch-up: the user's notifications newer than ``after_id``, oldest first."""
    stmt = (
        select(*_out(table))
        .where(_mine(table, user_id), table.c.id > after_id)
        .order_by(table.c.id)
        .limit(limit)
    )
    return [to_out(row) for row in await db.execute(stmt)]


async def in_range(
    db: AsyncSession, table: Table, user_ids: Sequence[Any], first: int, last: int
) -> list[tuple[Any, NotifOut]]:
    """(recipient, notification) for rows ``first..last`` of the given users, oldest first
    (a broadcast's rows, read once per process for its connected users)."""
    if not user_ids:
        return []
    stmt = (
        select(table.c.id_user, *_out(table))
        .where(table.c.id.between(first, last), table.c.id_user.in_(list(user_ids)))
        .order_by(table.c.id)
    )
    return [(row.id_user, to_out(row)) for row in await db.execute(stmt)]


async def unread_count(db: AsyncSession, table: Table, user_id: Any) -> int:
    """How many of the user's notifications are unread."""
    stmt = select(func.count()).where(
        _mine(table, user_id), table.c.status == NotifStatus.UNREAD.value
    )
    return int((await db.execute(stmt)).scalar_one())


async def mark(
    db: AsyncSession,
    table: Table,
    user_id: Any,
    status: NotifStatus,
    ids: Sequence[int] | None = None,
) -> list[int]:
    """Set the status of the user's notifications (``ids``, or all of them); returns the ids
    that changed."""
    where = [_mine(table, user_id), table.c.status != status.value]
    if ids is not None:
        where.append(table.c.id.in_(list(ids)))
    read_at = utcnow() if status is NotifStatus.READ else None
    stmt = (
        update(table)
        .where(and_(*where))
        .values(status=status.value, read_at=read_at)
        .returning(table.c.id)
    )
    return sorted((await db.execute(stmt)).scalars())


async def remove(db: AsyncSession, table: Table, user_id: Any, ids: Sequence[int]) -> list[int]:
    """Delete the user's notifications among ``ids``; returns the ids deleted."""
    stmt = (
        delete(table).where(_mine(table, user_id), table.c.id.in_(list(ids))).returning(table.c.id)
    )
    return sorted((await db.execute(stmt)).scalars())
