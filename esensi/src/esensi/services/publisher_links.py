"""Publisher ↔ author links (spec/workflows.md 2.4): a publisher invites, the author accepts or
declines, either side removes the link. Only an ``active`` link lets the publisher manage the
author's catalogue (``services/ownership.py``).

Every action is scoped in its statement: a link that is not the caller's answers 404 exactly like
an unknown id.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, false, func, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError

from esensi.models.author import Author
from esensi.models.enums import LinkStatus
from esensi.models.publisher import Publisher, PublisherAuthor
from esensi.services.notifications import send_notif
from rlib import ConflictError, NotFoundError, Scope
from rlib.auth.users import SessionUser

RESOURCE = "resource.publisher_author"


class LinkExistsError(ConflictError):
    """409: the publisher already has a link (invited, active or declined) to this author."""

    code = "publisher_author_exists"
    key = "publisher_author.exists"


class LinkNotInvitedError(ConflictError):
    """409: only a pending invitation can be accepted or declined."""

    code = "publisher_author_not_invited"
    key = "publisher_author.not_invited"


@dataclass(frozen=True, slots=True)
class LinkPage:
    """One page of the caller's links and the total."""

    rows: list[RowMapping]
    total: int


def _mine(user: object) -> ColumnElement[bool]:
    """Links where the caller is the publisher or the author."""
    if not isinstance(user, SessionUser):
        return false()
    sides: list[ColumnElement[bool]] = []
    publisher = user.profile_id("publisher")
    author = user.profile_id("author")
    if publisher is not None:
        sides.append(PublisherAuthor.publisher_id == publisher)
    if author is not None:
        sides.append(PublisherAuthor.author_id == author)
    return or_(*sides) if sides else false()


def _view() -> tuple[Any, ...]:
    return (
        PublisherAuthor.id,
        PublisherAuthor.status,
        PublisherAuthor.publisher_id,
        Publisher.name.label("publisher_name"),
        PublisherAuthor.author_id,
        Author.name.label("author_name"),
        PublisherAuthor.created_at,
        PublisherAuthor.updated_at,
    )


async def _one(scope: Scope, link_id: uuid.UUID) -> RowMapping:
    """The link's view plus both sides' logins (``author_user``, ``publisher_user``)."""
    found = await scope.db.execute(
        select(
            *_view(),
            Author.id_user.label("author_user"),
            Publisher.id_user.label("publisher_user"),
        )
        .join(Publisher, Publisher.id == PublisherAuthor.publisher_id)
        .join(Author, Author.id == PublisherAuthor.author_id)
        .where(PublisherAuthor.id == link_id)
    )
    return found.mappings().one()


async def invite(scope: Scope, publisher_id: uuid.UUID, author_id: uuid.UUID) -> RowMapping:
    """A new ``invited`` link; the author's login is notified.

    The insert comes first (in a savepoint) so that parallel invitations meet at the unique
    ``(publisher_id, author_id)`` and, on SQLite, the request writes before it reads.

    Raises:
        NotFoundError: 404 "Penulis tidak ditemukan" for an unknown author.
        LinkExistsError: 409 when the pair is already linked in any status.
    """
    link = PublisherAuthor(
        publisher_id=publisher_id, author_id=author_id, status=LinkStatus.INVITED
    )
    try:
        async with scope.db.begin_nested():
            scope.db.add(link)
            await scope.db.flush()
    except IntegrityError as exc:
        if await scope.db.scalar(select(Author.id).where(Author.id == author_id)) is None:
            raise NotFoundError("resource.author") from exc
        raise LinkExistsError() from exc
    row = await _one(scope, link.id)
    if row["author_user"] is not None:
        message = f"{row['publisher_name']} mengundang Anda bergabung sebagai penulis"
        await _notify(scope, row["author_user"], message, url="/publisher")
    return row


async def answer(
    scope: Scope, author_id: uuid.UUID, link_id: uuid.UUID, *, accept: bool
) -> RowMapping:
    """The author accepts (→ ``active``) or declines (→ ``declined``) an invitation to them,
    in one conditional update; the publisher's login is notified.

    Raises:
        NotFoundError: 404 when the link is not addressed to ``author_id``.
        LinkNotInvitedError: 409 when it was already answered.
    """
    mine = (PublisherAuthor.id == link_id, PublisherAuthor.author_id == author_id)
    changed = await scope.db.execute(
        update(PublisherAuthor)
        .where(*mine, PublisherAuthor.status == LinkStatus.INVITED)
        .values(status=LinkStatus.ACTIVE if accept else LinkStatus.DECLINED)
        .returning(PublisherAuthor.id)
        .execution_options(synchronize_session=False)
    )
    if changed.first() is None:
        if await scope.db.scalar(select(PublisherAuthor.id).where(*mine)) is None:
            raise NotFoundError(RESOURCE)
        raise LinkNotInvitedError()
    row = await _one(scope, link_id)
    if row["publisher_user"] is not None:
        verb = "menerima" if accept else "menolak"
        message = f"{row['author_name']} {verb} undangan Anda"
        await _notify(scope, row["publisher_user"], message, url="/authors")
    return row


async def remove(scope: Scope, link_id: uuid.UUID) -> None:
    """Delete a link the caller is either side of, in one statement; 404 otherwise."""
    gone = await scope.db.execute(
        delete(PublisherAuthor)
        .where(PublisherAuthor.id == link_id, _mine(scope.user))
        .returning(PublisherAuthor.id)
    )
    if gone.first() is None:
        raise NotFoundError(RESOURCE)


async def page(scope: Scope, *, status: LinkStatus | None, page_no: int, limit: int) -> LinkPage:
    """The caller's links (as publisher or as author), newest first: one count, one select."""
    conditions = [_mine(scope.user)]
    if status is not None:
        conditions.append(PublisherAuthor.status == status)
    total = await scope.db.scalar(
        select(func.count()).select_from(PublisherAuthor).where(*conditions)
    )
    rows = await scope.db.execute(
        select(*_view())
        .join(Publisher, Publisher.id == PublisherAuthor.publisher_id)
        .join(Author, Author.id == PublisherAuthor.author_id)
        .where(*conditions)
        .order_by(PublisherAuthor.created_at.desc(), PublisherAuthor.id)
        .limit(limit)
        .offset((page_no - 1) * limit)
    )
    return LinkPage(rows=list(rows.mappings()), total=total or 0)


async def _notify(scope: Scope, user_id: uuid.UUID, message: str, *, url: str) -> None:
    await send_notif(scope, user_id, {"notif": {"type": "message", "message": message, "url": url}})
