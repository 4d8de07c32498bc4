"""Book submission rules: which books an author may still edit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esensi.models.enums import BookStatus
from rlib import ConflictError

EDITABLE = (BookStatus.DRAFT, BookStatus.REJECTED)


class BookNotEditableError(ConflictError):
    """409: submitted or published books change only through review."""

    code = "book_not_editable"
    key = "book.not_editable"


def ensure_editable(book: Mapping[str, Any]) -> None:
    """409 unless ``book`` (a row the caller may see) is a draft or rejected."""
    if book["status"] not in EDITABLE:
        raise BookNotEditableError()
