"""Shared set-up of the review tests: real staff profiles and a submitted book of an author
with a login (the approval row and the notifications point at real rows)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from esensi.models.book import Book, BookApproval
from esensi.models.internal import Internal
from factories import make_author, make_book, make_genre, make_user, tag_book
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator

FLAGS = {
    "sales_and_marketing": "is_sales_and_marketing",
    "support": "is_support",
    "management": "is_management",
    "it": "is_it",
}


@dataclass(frozen=True, slots=True)
class Submission:
    book_id: uuid.UUID
    author_id: uuid.UUID
    author_user_id: uuid.UUID
    author_email: str
    genre_slug: str


async def sign_in_staff(database: Database, auth: FakeAuthenticator, *roles: str) -> SessionUser:
    """A staff login with an ``internal`` row carrying ``roles``, signed in."""
    async with database.sessionmaker() as db:
        user = await make_user(db)
        staff = Internal(name=user.name, id_user=user.id, **{FLAGS[r]: True for r in roles})
        db.add(staff)
        await db.commit()
        session_user = SessionUser(
            id=user.id,
            profiles={"internal": staff.id},
            roles=frozenset(f"internal:{r}" for r in roles),
        )
    auth.user = session_user
    return session_user


async def submit_book(database: Database, *, locale: str = "id", **book: Any) -> Submission:
    """An author with a login, and a submitted chapter book in a genre, as ``book_submit``
    leaves it: status ``submitted`` and an approval row ``submitted``."""
    suffix = uuid.uuid4().hex[:6]
    async with database.sessionmaker() as db:
        user = await make_user(db, locale=locale)
        author = await make_author(db, name=f"Penulis {suffix}", id_user=user.id)
        genre = await make_genre(db, f"genre-{suffix}")
        values = {
            "status": "submitted",
            "published_date": None,
            "submitted_price": Decimal("45000"),
            "sku": f"SKU-{suffix}",
            "desc": "Sinopsis yang tersimpan",
            **book,
        }
        row: Book = await make_book(db, author, **values)
        await tag_book(db, row, genre)
        db.add(BookApproval(id_book=row.id, status="submitted"))
        await db.commit()
        return Submission(row.id, author.id, user.id, user.email, genre.slug)
