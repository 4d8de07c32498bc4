"""Book submission rules: which books an author may still edit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from esensi.models.book import Book
from esensi.models.enums import BookStatus
from esensi.services import ownership
from rlib import ConflictError, Scope

EDITABLE = (BookStatus.DRAFT, BookStatus.REJECTED)


class BookNotEditableError(ConflictError):
    """409: submitted or published books change only through review."""

    code = "book_not_editable"
    key = "book.not_editable"


class BookNotSubmittedError(ConflictError):
    """409: only a submitted book waits for review and can be pulled back."""

    code = "book_not_submitted"
    key = "book.not_submitted"


def ensure_editable(book: Mapping[str, Any]) -> None:
    """409 unless ``book`` (a row the caller may see) is a draft or rejected."""
    if book["status"] not in EDITABLE:
        raise BookNotEditableError()


async def withdraw(scope: Scope, book_id: uuid.UUID) -> Book:
    """submitted → draft: the owner pulls a book back before review.

    A book the caller may not manage (or soft-deleted) is a 404 before its status is looked at.
    """
    book = await ownership.own_book(scope, book_id, lock=True)
    if book.status != BookStatus.SUBMITTED:
        raise BookNotSubmittedError()
    book.status = BookStatus.DRAFT
    book.version += 1
    await scope.db.flush()
    return book
