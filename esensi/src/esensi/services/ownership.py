"""Whose rows a signed-in author or publisher may see and manage.

The one rule (spec/endpoints.md section 0): an author manages their own books, products,
bundles and chapters; a publisher those of the authors linked to it by an ``active``
``publisher_author`` row (an ``invited`` or ``declined`` link gives nothing). A login holding
both profiles manages both sets. Everything else answers 404 as if it did not exist.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select

from esensi.models.book import Book
from esensi.models.enums import LinkStatus
from esensi.models.publisher import PublisherAuthor
from rlib import NotFoundError, Scope
from rlib.auth.users import SessionUser


def active_authors_of(publisher_id: uuid.UUID) -> Select[uuid.UUID]:
    """The ids of the authors with an ``active`` link to ``publisher_id``, as a subquery."""
    return select(PublisherAuthor.author_id).where(
        PublisherAuthor.publisher_id == publisher_id, PublisherAuthor.status == LinkStatus.ACTIVE
    )


async def managed_author_ids(scope: Scope) -> uuid.UUID | list[uuid.UUID] | None:
    """An author manages their own rows; a publisher those of its actively linked authors.

    Returns the author's own id (an author, or a login that is both whose publisher has no
    other active author), a list (a publisher; the login's own author id first when it is
    both), or None when the caller is neither (nothing is visible).
    """
    user = scope.user
    if not isinstance(user, SessionUser):
        return None
    author = user.profile_id("author")
    publisher = user.profile_id("publisher")
    if publisher is None:
        return author
    linked = [
        found for found in await scope.db.scalars(active_authors_of(publisher)) if found != author
    ]
    if author is not None and not linked:
        return author  # acting only for themselves: creates need not name the author
    return ([] if author is None else [author]) + linked


def managed_by_caller(scope: Scope, author_column: Any) -> ColumnElement[bool]:
    """A SQL condition: ``author_column`` names an author the caller manages.

    For queries that scope in the statement itself (stats, joins) rather than with the ids
    fetched first; false for a caller who is neither author nor publisher.
    """
    user = scope.user
    if not isinstance(user, SessionUser):
        return false()
    author = user.profile_id("author")
    publisher = user.profile_id("publisher")
    conditions: list[ColumnElement[bool]] = []
    if author is not None:
        conditions.append(author_column == author)
    if publisher is not None:
        conditions.append(author_column.in_(active_authors_of(publisher)))
    return or_(*conditions) if conditions else false()


async def manages_author(scope: Scope, author_id: uuid.UUID) -> bool:
    """True when the caller manages ``author_id`` (is that author, or has an active link)."""
    return _manages(await managed_author_ids(scope), author_id)


async def require_managed_author(scope: Scope, author_id: uuid.UUID) -> uuid.UUID:
    """``author_id`` when the caller manages it; 404 "Penulis tidak ditemukan" otherwise."""
    if not await manages_author(scope, author_id):
        raise NotFoundError("resource.author")
    return author_id


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
