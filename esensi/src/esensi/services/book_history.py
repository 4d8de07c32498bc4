"""An own book's review history and change log, read by its author or their publisher."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

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
) -> Sequence[BookChangesLog]:
    """One page of the book's field diffs, in the order the caller asked for."""
    await ownership.own_book(scope, book_id)
    order = (
        (BookChangesLog.created_at.desc(), BookChangesLog.id.desc())
        if newest_first
        else (BookChangesLog.created_at, BookChangesLog.id)
    )
    rows = await scope.db.scalars(
        select(BookChangesLog)
        .where(BookChangesLog.id_book == book_id)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    return rows.all()
