"""Readers following authors: the author page's lookup and the follow toggle."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, or_, select
from sqlalchemy.engine import RowMapping

from esensi.models.auth import AuthUser
from esensi.models.author import Author, AuthorFollow
from esensi.services.chapter_pages import author_columns
from esensi.services.community_notices import actor_name, notify, recently_sent
from rlib import FieldError, NotFoundError, Scope, ValidationError
from rlib.auth.users import current_user


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


async def author_by_handle(scope: Scope, handle: str) -> RowMapping:
    """The author whose login's username is ``handle`` (any case), or whose id it is."""
    by_name = func.lower(AuthUser.username) == handle.lower()
    author_id = _as_uuid(handle)
    match = by_name if author_id is None else or_(by_name, Author.id == author_id)
    row = (
        await scope.db.execute(
            select(*author_columns(scope))
            .select_from(Author)
            .outerjoin(AuthUser, AuthUser.id == Author.id_user)
            .where(match)
            .limit(1)
        )
    ).first()
    if row is None:
        raise NotFoundError("resource.author")
    return row._mapping


async def toggle(scope: Scope, author_id: uuid.UUID) -> tuple[bool, int]:
    """Follow the author, or stop following; a new follow notifies the author's login.

    Returns whether the caller now follows, and the follower count.
    """
    user = current_user(scope)
    author_user = (
        await scope.db.execute(select(Author.id_user).where(Author.id == author_id))
    ).first()
    if author_user is None:
        raise NotFoundError("resource.author")
    if author_user.id_user == user.id:
        raise ValidationError([FieldError(loc=("body", "id_author"), key="follow.self")])
    removed = await scope.db.execute(
        delete(AuthorFollow).where(
            AuthorFollow.id_user == user.id, AuthorFollow.id_author == author_id
        )
    )
    following = not getattr(removed, "rowcount", 0)
    if following:
        scope.db.add(AuthorFollow(id_user=user.id, id_author=author_id))
        await scope.db.flush()
        if author_user.id_user is not None:
            await _notify_follow(scope, author_user.id_user, user.id)
    followers = await scope.db.scalar(
        select(func.count()).select_from(AuthorFollow).where(AuthorFollow.id_author == author_id)
    )
    return following, followers or 0


async def _notify_follow(scope: Scope, recipient: uuid.UUID, follower: uuid.UUID) -> None:
    data = {"follower_id": str(follower)}
    if await recently_sent(scope, recipient, "follow", data):
        return
    name = await actor_name(scope, follower)
    await notify(scope, recipient, "follow", url="/dashboard", data=data, name=name)
