"""Book submission rules: which books an author may still edit."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from esensi.models.book import Book
from esensi.models.enums import BookStatus
from rlib import ConflictError, Scope

EDITABLE = (BookStatus.DRAFT, BookStatus.REJECTED)


class BookNotEditableError(ConflictError):
    """409: submitted or published books change only through review."""

    code = "book_not_editable"
    key = "book.not_editable"


async def ensure_editable(scope: Scope, *, book_id: object) -> None:
    """409 unless the book is a draft or rejected; a missing book is left to the caller's 404."""
    status = await scope.db.scalar(select(Book.status).where(Book.id == _uuid(book_id)))
    if status is not None and status not in EDITABLE:
        raise BookNotEditableError()


def _uuid(value: object) -> uuid.UUID | None:
    return value if isinstance(value, uuid.UUID) else None
