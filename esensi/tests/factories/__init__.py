"""Test data builders: ``make_<thing>(db, **overrides)``, and signing the test client in."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.auth import AuthUser
from esensi.models.author import Author
from esensi.models.book import Book, BookGenre
from esensi.models.cms import Cfg
from esensi.models.taxonomy import Genre
from rlib.auth.users import SessionUser
from rlib.testing import FakeAuthenticator


def login_as(auth: FakeAuthenticator, user_id: uuid.UUID, **profiles: uuid.UUID) -> SessionUser:
    """Sign the test client in as ``user_id`` with the given profile ids (``author=...``)."""
    user = SessionUser(id=user_id, profiles=profiles)
    auth.user = user
    return user


def login_staff(auth: FakeAuthenticator, *roles: str) -> SessionUser:
    """Sign the test client in as staff with these role flags (``"it"``...; none: no flag)."""
    user = SessionUser(
        id=uuid.uuid4(),
        profiles={"internal": uuid.uuid4()},
        roles=frozenset(f"internal:{role}" for role in roles),
    )
    auth.user = user
    return user


async def _add(db: AsyncSession, row: Any) -> Any:
    db.add(row)
    await db.flush()
    return row


async def make_user(db: AsyncSession, **overrides: Any) -> AuthUser:
    suffix = uuid.uuid4().hex[:8]
    values = {"name": f"Pengguna {suffix}", "email": f"user-{suffix}@contoh.id", **overrides}
    return await _add(db, AuthUser(**values))


async def make_author(db: AsyncSession, **overrides: Any) -> Author:
    return await _add(db, Author(**{"name": "Tere Liye", **overrides}))


async def make_genre(db: AsyncSession, slug: str, **overrides: Any) -> Genre:
    return await _add(db, Genre(**{"name": slug.title(), "slug": slug, **overrides}))


async def make_book(db: AsyncSession, author: Author, **overrides: Any) -> Book:
    suffix = uuid.uuid4().hex[:8]
    values = {
        "name": f"Buku {suffix}",
        "slug": f"buku-{suffix}",
        "id_author": author.id,
        "status": "published",
        "is_chapter": True,
        "published_date": dt.datetime.now(dt.UTC),
        **overrides,
    }
    return await _add(db, Book(**values))


async def tag_book(db: AsyncSession, book: Book, genre: Genre) -> None:
    await _add(db, BookGenre(id_book=book.id, id_genre=genre.id))


async def make_cfg(db: AsyncSession, key: str, value: str, *, is_public: bool = True) -> Cfg:
    return await _add(db, Cfg(key=key, value=value, is_public=is_public))
