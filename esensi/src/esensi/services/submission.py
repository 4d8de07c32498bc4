"""Book submission: which books an author may still edit, submitting and withdrawing.

The owner moves a book ``draft``/``rejected`` → ``submitted`` (``spec/workflows.md`` 3.1): an
approval row, a ``book-submit`` notification to every reviewer and a ``book-submitted`` email
to each of them, all in the request's transaction; ``submitted`` → ``draft`` pulls it back.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from esensi.emails import BookSubmitted, send_main_email
from esensi.models.author import Author
from esensi.models.book import Book, BookApproval
from esensi.models.enums import ApprovalStatus, BookStatus
from esensi.services import book_history, ownership
from esensi.services.notifications import notify_reviewers_of_submission, reviewer_logins
from esensi.services.site_links import site_url
from rlib import ConflictError, Scope
from rlib.mail import BatchEmail

EDITABLE = (BookStatus.DRAFT, BookStatus.REJECTED)


class BookNotEditableError(ConflictError):
    """409: a submitted book changes only through review."""

    code = "book_not_editable"
    key = "book.not_editable"


class BookPublishedError(BookNotEditableError):
    """409: a published book is read-only for its owner; its product carries price and status."""

    key = "book.published_read_only"


class BookNotSubmittedError(ConflictError):
    """409: only a submitted book waits for review and can be pulled back."""

    code = "book_not_submitted"
    key = "book.not_submitted"


class BookStatusError(ConflictError):
    """409: the action does not apply to the book's current status."""

    code = "book_status"
    key = "book.status_invalid"


def ensure_editable(book: Mapping[str, Any]) -> None:
    """409 unless ``book`` (a row the caller may see) is a draft or rejected, naming why."""
    if book["status"] == BookStatus.PUBLISHED:
        raise BookPublishedError()
    if book["status"] not in EDITABLE:
        raise BookNotEditableError()


async def submit(scope: Scope, book_id: uuid.UUID) -> Book:
    """draft/rejected → submitted for a book the caller manages (404 before any status check)."""
    book = await ownership.own_book(scope, book_id, lock=True)
    if book.status not in EDITABLE:
        raise BookStatusError()
    await announce(scope, book_id=book.id, title=book.name, author_id=book.id_author)
    book.status = BookStatus.SUBMITTED
    book.version += 1
    await scope.db.flush()
    return book


async def announce(scope: Scope, *, book_id: uuid.UUID, title: str, author_id: uuid.UUID) -> None:
    """The side effects of a submission: approval row, reviewers' notifications and emails."""
    scope.db.add(BookApproval(id_book=book_id, status=ApprovalStatus.SUBMITTED))
    await scope.db.flush()
    reviewers = await reviewer_logins(scope)
    await notify_reviewers_of_submission(scope, book_id=book_id, title=title, reviewers=reviewers)
    author = await scope.db.scalar(select(Author.name).where(Author.id == author_id))
    review_url = site_url(scope, "internal", f"/book/{book_id}")
    await send_main_email.batch(
        scope,
        template_alias="book-submitted",
        messages=[
            BatchEmail(
                to=reviewer.email,
                template_model=BookSubmitted(
                    reviewer_name=reviewer.name,
                    book=title,
                    author=author or "",
                    review_url=review_url,
                ),
                lang="en" if reviewer.locale == "en" else "id",
            )
            for reviewer in reviewers
        ],
    )


async def withdraw(scope: Scope, book_id: uuid.UUID) -> Book:
    """submitted → draft: the owner pulls a book back before review (a change-log entry, no
    approval row).

    A book the caller may not manage (or soft-deleted) is a 404 before its status is looked at.
    """
    book = await ownership.own_book(scope, book_id, lock=True)
    if book.status != BookStatus.SUBMITTED:
        raise BookNotSubmittedError()
    await book_history.record(
        scope, book.id, book_history.diff({"status": book.status}, {"status": BookStatus.DRAFT})
    )
    book.status = BookStatus.DRAFT
    book.version += 1
    await scope.db.flush()
    return book
