"""An own book's review history and change log, read by its author or their publisher."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import func, select

from esensi.models.book import BookApproval, BookChangesLog
from esensi.services import ownership
from rlib import Scope


async def approvals(scope: Scope, book_id: uuid.UUID) -> Sequence[BookApproval]:
    """Every review event of the book, oldest first (404 for a book the caller does not manage)."""
    await ownership.own_book(scope, book_id)
    rows = await scope.db.scalars(
        select(BookApproval)
        .where(BookApproval.id_book == book_id)
        .order_by(BookApproval.created_at, BookApproval.id)
    )
    return rows.all()


async def changes(
    scope: Scope, book_id: uuid.UUID, *, newest_first: bool, limit: int, offset: int
) -> tuple[Sequence[BookChangesLog], int]:
    """One page of the book's field diffs, in the order the caller asked for, and their total."""
    await ownership.own_book(scope, book_id)
    order = (
        (BookChangesLog.created_at.desc(), BookChangesLog.id.desc())
        if newest_first
        else (BookChangesLog.created_at, BookChangesLog.id)
    )
    of_book = BookChangesLog.id_book == book_id
    total = await scope.db.scalar(select(func.count()).select_from(BookChangesLog).where(of_book))
    rows = await scope.db.scalars(
        select(BookChangesLog).where(of_book).order_by(*order).limit(limit).offset(offset)
    )
    return rows.all(), int(total or 0)


def diff(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"old": {...}, "new": {...}}`` of the fields of ``changes`` whose value differs from
    ``current`` (``spec/models.md``), JSON-ready (decimals and dates as strings); ``{}`` when
    nothing changes."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for field, value in changes.items():
        if current.get(field) != value:
            old[field] = to_jsonable_python(current.get(field))
            new[field] = to_jsonable_python(value)
    return {"old": old, "new": new} if new else {}


async def record(scope: Scope, book_id: uuid.UUID, changes: Mapping[str, Any]) -> None:
    """One change-log row for the book, by the signed-in user, in the caller's transaction."""
    user = scope.user
    scope.db.add(
        BookChangesLog(
            id_book=book_id,
            id_user=user.id if user is not None else None,
            changes=dict(changes),
        )
    )
    await scope.db.flush()


async def latest_changes(scope: Scope, book_id: uuid.UUID, *, limit: int) -> list[dict[str, Any]]:
    """The newest ``limit`` change-log rows of a book the caller was shown already."""
    rows = await scope.db.execute(
        select(
            BookChangesLog.id,
            BookChangesLog.id_user,
            BookChangesLog.changes,
            BookChangesLog.created_at,
        )
        .where(BookChangesLog.id_book == book_id)
        .order_by(BookChangesLog.created_at.desc(), BookChangesLog.id.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in rows]
