"""Liking reviews: a toggle; the first like of a review by someone notifies its writer."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, select

from esensi.models.book import Book
from esensi.models.review import Reviews, ReviewsLikes
from esensi.services.chapter_books import visible_book
from esensi.services.community_notices import actor_name, notify, recently_sent
from rlib import NotFoundError, Scope
from rlib.auth.users import current_user


async def toggle(scope: Scope, review_id: uuid.UUID) -> tuple[bool, int]:
    """Like the live review, or take the like back. Returns (liked now, like count)."""
    user = current_user(scope)
    review = (
        await scope.db.execute(
            select(Reviews.id_user, Book.slug)
            .join(Book, Book.id == Reviews.id_book)
            .where(Reviews.id == review_id, Reviews.deleted_at.is_(None), visible_book())
        )
    ).first()
    if review is None:
        raise NotFoundError("resource.review")
    removed = await scope.db.execute(
        delete(ReviewsLikes).where(
            ReviewsLikes.id_reviews == review_id, ReviewsLikes.id_user == user.id
        )
    )
    liked = not getattr(removed, "rowcount", 0)
    if liked:
        scope.db.add(ReviewsLikes(id_reviews=review_id, id_user=user.id))
        await scope.db.flush()
        if review.id_user != user.id:
            await _notify_like(scope, review.id_user, review_id, user.id, review.slug)
    likes = await scope.db.scalar(
        select(func.count()).select_from(ReviewsLikes).where(ReviewsLikes.id_reviews == review_id)
    )
    return liked, likes or 0


async def _notify_like(
    scope: Scope, writer: uuid.UUID, review_id: uuid.UUID, liker: uuid.UUID, slug: str
) -> None:
    data = {"review_id": str(review_id)}
    if await recently_sent(scope, writer, "like", data):
        return
    name = await actor_name(scope, liker)
    await notify(scope, writer, "like", url=f"/title/{slug}", data=data, name=name)
