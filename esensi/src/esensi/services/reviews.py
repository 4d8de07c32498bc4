"""Writing reviews: one top-level review per book per reader, replies one level deep, own
edits at a version, soft delete by the writer or support staff, and the notifications."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import RowMapping

from esensi.models.author import Author
from esensi.models.book import Book
from esensi.models.review import Reviews
from esensi.services.chapter_books import visible_book
from esensi.services.community_notices import actor_name, notify
from rlib import ConflictError, FieldError, NotFoundError, Scope, ValidationError
from rlib.auth.users import SessionUser, current_user
from rlib.db.base import utcnow
from rlib.errors import StaleVersionError

STATE = (
    Reviews.id,
    Reviews.id_book,
    Reviews.parent,
    Reviews.comments,
    Reviews.rating,
    Reviews.version,
    Reviews.deleted_at,
)


class ReviewExistsError(ConflictError):
    """409: the reader already has a live top-level review of this book."""

    code = "review_exists"
    key = "review.duplicate"


def _invalid(field: str, key: str) -> ValidationError:
    return ValidationError([FieldError(loc=("body", field), key=key)])


async def reviewable_book(scope: Scope, book_id: uuid.UUID) -> RowMapping:
    """The visible book ``book_id`` with its author's login; 404 otherwise."""
    row = (
        await scope.db.execute(
            select(Book.id, Book.name, Book.slug, Author.id_user.label("author_user"))
            .join(Author, Author.id == Book.id_author)
            .where(Book.id == book_id, visible_book())
        )
    ).first()
    if row is None:
        raise NotFoundError("resource.book")
    return row._mapping


async def _parent_writer(scope: Scope, book_id: uuid.UUID, parent: uuid.UUID) -> uuid.UUID:
    """The writer of the live top-level review ``parent`` of this book; 404 otherwise."""
    writer = await scope.db.scalar(
        select(Reviews.id_user).where(
            Reviews.id == parent,
            Reviews.id_book == book_id,
            Reviews.parent.is_(None),
            Reviews.deleted_at.is_(None),
        )
    )
    if writer is None:
        raise NotFoundError("resource.review")
    return writer


async def _has_review(scope: Scope, book_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    found = await scope.db.scalar(
        select(Reviews.id).where(
            Reviews.id_book == book_id,
            Reviews.id_user == user_id,
            Reviews.parent.is_(None),
            Reviews.deleted_at.is_(None),
        )
    )
    return found is not None


async def create(
    scope: Scope, *, book_id: uuid.UUID, comments: str, rating: int | None, parent: uuid.UUID | None
) -> RowMapping:
    """A review (``rating`` required) or a reply to a top-level review (no rating)."""
    user = current_user(scope)
    book = await reviewable_book(scope, book_id)
    parent_writer = None
    if parent is None:
        if rating is None:
            raise _invalid("rating", "review.rating_required")
        if await _has_review(scope, book_id, user.id):
            raise ReviewExistsError()
    else:
        if rating is not None:
            raise _invalid("rating", "review.reply_rating")
        parent_writer = await _parent_writer(scope, book_id, parent)
    row = Reviews(id_book=book_id, comments=comments, rating=rating, parent=parent, id_user=user.id)
    scope.db.add(row)
    await scope.db.flush()
    await _notify_comment(scope, user, book, parent_writer)
    return await _state(scope, row.id)


async def _notify_comment(
    scope: Scope, user: SessionUser, book: RowMapping, parent_writer: uuid.UUID | None
) -> None:
    """``comment`` to the parent's writer (a reply) and to the book's author; never to the
    writer themself, never twice to one login."""
    name = await actor_name(scope, user.id)
    url = f"/title/{book['slug']}"
    told = {user.id}
    if parent_writer is not None and parent_writer not in told:
        await notify(scope, parent_writer, "reply", url=url, name=name)
        told.add(parent_writer)
    author = book["author_user"]
    if author is not None and author not in told:
        await notify(scope, author, "review", url=url, name=name, book=book["name"])


async def _state(scope: Scope, review_id: uuid.UUID) -> RowMapping:
    return (await scope.db.execute(select(*STATE).where(Reviews.id == review_id))).one()._mapping


async def _own_live(scope: Scope, review_id: uuid.UUID, *, any_writer: bool) -> RowMapping:
    """The live review ``review_id`` of a visible book, written by the caller unless
    ``any_writer``; 404 for anything else, before any other check."""
    query = (
        select(*STATE)
        .join(Book, Book.id == Reviews.id_book)
        .where(Reviews.id == review_id, Reviews.deleted_at.is_(None), visible_book())
    )
    if not any_writer:
        query = query.where(Reviews.id_user == current_user(scope).id)
    row = (await scope.db.execute(query)).first()
    if row is None:
        raise NotFoundError("resource.review")
    return row._mapping


async def edit(
    scope: Scope, review_id: uuid.UUID, *, version: int, changes: dict[str, Any]
) -> RowMapping:
    """Change the text and/or rating of one's own review at ``version``."""
    review = await _own_live(scope, review_id, any_writer=False)
    if not changes:
        raise _invalid("comments", "review.nothing_to_change")
    if "rating" in changes and review["parent"] is not None:
        raise _invalid("rating", "review.reply_rating")
    done = await scope.db.execute(
        update(Reviews)
        .where(Reviews.id == review_id, Reviews.version == version)
        .values(**changes, version=version + 1, updated_at=utcnow())
    )
    if not getattr(done, "rowcount", 0):
        raise StaleVersionError()
    return await _state(scope, review_id)


async def remove(scope: Scope, review_id: uuid.UUID) -> RowMapping:
    """Soft-delete a review: the writer's own, or any for support staff."""
    staff = current_user(scope).has_role("internal", "support")
    review = await _own_live(scope, review_id, any_writer=staff)
    await scope.db.execute(
        update(Reviews)
        .where(Reviews.id == review_id)
        .values(deleted_at=utcnow(), version=review["version"] + 1)
    )
    return await _state(scope, review_id)
