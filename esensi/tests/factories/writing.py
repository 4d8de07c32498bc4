"""Builders for the author's portal: people with logins, publisher links, reviewers, chapters."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.auth import AuthUser
from esensi.models.author import Author, AuthorFollow
from esensi.models.book import Book
from esensi.models.chapter import Chapter
from esensi.models.internal import Internal
from esensi.models.publisher import Publisher, PublisherAuthor
from factories import login_as, make_book, make_user
from rlib.auth.users import SessionUser
from rlib.testing import FakeAuthenticator


@dataclass(frozen=True, slots=True)
class Person:
    """A login and the id of one of its profiles."""

    user: AuthUser
    profile: uuid.UUID
    kind: str

    def sign_in(self, auth: FakeAuthenticator) -> SessionUser:
        return login_as(auth, self.user.id, **{self.kind: self.profile})


async def _add(db: AsyncSession, row: Any) -> Any:
    db.add(row)
    await db.flush()
    return row


async def make_writer(db: AsyncSession, name: str = "Tere Liye") -> Person:
    """An author with a login (change-log rows name the editing user)."""
    user = await make_user(db, name=name)
    author = await _add(db, Author(name=name, id_user=user.id))
    return Person(user, author.id, "author")


async def make_publisher(db: AsyncSession, name: str = "Gramedia") -> Person:
    user = await make_user(db, name=name)
    publisher = await _add(db, Publisher(name=name, id_user=user.id))
    return Person(user, publisher.id, "publisher")


async def make_customer_login(db: AsyncSession) -> Person:
    user = await make_user(db)
    return Person(user, uuid.uuid4(), "customer")


async def link(db: AsyncSession, publisher: Person, author: Person, status: str) -> None:
    """A publisher-author link in ``status`` (invited, active, declined)."""
    await _add(
        db,
        PublisherAuthor(publisher_id=publisher.profile, author_id=author.profile, status=status),
    )


async def make_reviewer(
    db: AsyncSession, name: str, *, locale: str = "id", **roles: bool
) -> AuthUser:
    """A staff login; ``is_management`` / ``is_support`` make a reviewer."""
    user = await make_user(db, name=name, locale=locale)
    await _add(db, Internal(name=name, id_user=user.id, **roles))
    return user


async def make_chapter(db: AsyncSession, book: Book, number: int, **overrides: Any) -> Chapter:
    values = {
        "id_book": book.id,
        "number": number,
        "name": f"Bab {number}",
        "content": {"blocks": [{"type": "paragraph", "data": {"text": f"Isi bab {number}"}}]},
        **overrides,
    }
    return await _add(db, Chapter(**values))


async def follow(db: AsyncSession, user: AuthUser, author: Person) -> None:
    await _add(db, AuthorFollow(id_user=user.id, id_author=author.profile))


async def make_own_book(db: AsyncSession, person: Person, **overrides: Any) -> Book:
    """A book of ``person`` (an author); same defaults as ``make_book``."""
    author = await db.get(Author, person.profile)
    assert author is not None
    return await make_book(db, author, **overrides)
