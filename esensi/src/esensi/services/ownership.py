"""Whose rows a signed-in author or publisher may see and manage."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from esensi.models.book import Book
from esensi.models.enums import LinkStatus
from esensi.models.publisher import PublisherAuthor
from rlib import NotFoundError, Scope
from rlib.auth.users import SessionUser


async def managed_author_ids(scope: Scope) -> uuid.UUID | list[uuid.UUID] | None:
    """An author manages their own rows; a publisher those of its actively linked authors.

    None when the caller is neither (nothing is visible).
    """
    user = scope.user
    if not isinstance(user, SessionUser):
        return None
    author = user.profile_id("author")
    if author is not None:
        return author
    publisher = user.profile_id("publisher")
    if publisher is None:
        return None
    rows = await scope.db.scalars(
        select(PublisherAuthor.author_id).where(
            PublisherAuthor.publisher_id == publisher, PublisherAuthor.status == LinkStatus.ACTIVE
        )
    )
    return list(rows)


async def own_book(scope: Scope, book_id: uuid.UUID, *, lock: bool = False) -> Book:
    """The live book ``book_id`` if the caller manages its author; 404 otherwise (no hint why)."""
    owners = await managed_author_ids(scope)
    book = await scope.db.get(Book, book_id, with_for_update=lock)
    if book is None or book.deleted_at is not None or not _manages(owners, book.id_author):
        raise NotFoundError("resource.book")
    return book


def _manages(owners: uuid.UUID | list[uuid.UUID] | None, author: uuid.UUID) -> bool:
    if owners is None:
        return False
    return author in owners if isinstance(owners, list) else author == owners
