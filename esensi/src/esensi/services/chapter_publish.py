"""Publishing draft chapters of a published chapter-book, and telling the author's followers.

Each published chapter notifies every follower of the book's author (``chapter-new``, one
multi-row insert per chapter) and queues one ``new-chapter`` email per follower in the chapter
context (one multi-row insert per chapter), deduplicated per chapter and reader, all in the
request's transaction.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from esensi.emails import NewChapter, send_chapter_email
from esensi.models.auth import AuthUser
from esensi.models.author import Author, AuthorFollow
from esensi.models.book import Book
from esensi.models.chapter import Chapter
from esensi.models.enums import BookStatus, ChapterStatus, NotifType
from esensi.services.chapters import (
    CHAPTERS,
    BookNotPublishedError,
    ChapterAlreadyPublishedError,
    not_found,
    summaries,
    visible_books,
)
from esensi.services.notifications import by_locale, send_many
from esensi.services.site_links import site_url
from rlib import Scope
from rlib.db.base import utcnow
from rlib.mail import BatchEmail

Row = dict[str, Any]
NEW_CHAPTER = {"id": "Bab baru {book}: {chapter}", "en": "New chapter of {book}: {chapter}"}


async def publish(scope: Scope, ids: Sequence[uuid.UUID]) -> list[Row]:
    """draft → published for own chapters of published chapter-books; all or none."""
    unique = list(dict.fromkeys(ids))
    chapters = await _publishable(scope, unique)
    table = CHAPTERS
    await scope.db.execute(
        update(table)
        .where(table.c.id.in_(unique))
        .values(
            status=ChapterStatus.PUBLISHED.value,
            published_at=utcnow(),
            version=table.c.version + 1,
            updated_at=utcnow(),
        )
    )
    await _tell_followers(scope, chapters)
    return await summaries(scope, unique)


async def _publishable(scope: Scope, ids: Sequence[uuid.UUID]) -> list[Row]:
    stmt = (
        select(
            Chapter.id,
            Chapter.number,
            Chapter.name,
            Chapter.status,
            Book.name.label("book"),
            Book.slug.label("book_slug"),
            Book.status.label("book_status"),
            Book.is_chapter,
            Book.id_author,
            Author.name.label("author"),
        )
        .join(Book, Book.id == Chapter.id_book)
        .join(Author, Author.id == Book.id_author)
        .where(Chapter.id.in_(ids), await visible_books(scope))
        .order_by(Chapter.id_book, Chapter.number)
        .with_for_update(of=Chapter)
    )
    rows = [dict(row._mapping) for row in await scope.db.execute(stmt)]
    if len(rows) != len(ids):
        raise not_found()
    for row in rows:
        if row["book_status"] != BookStatus.PUBLISHED or not row["is_chapter"]:
            raise BookNotPublishedError()
        if row["status"] != ChapterStatus.DRAFT:
            raise ChapterAlreadyPublishedError(number=row["number"])
    return rows


async def _tell_followers(scope: Scope, chapters: Sequence[Row]) -> None:
    followers = await _followers(scope, {row["id_author"] for row in chapters})
    unsubscribe_url = site_url(scope, "chapter", "/profile/following")
    for chapter in chapters:
        readers = followers.get(chapter["id_author"], [])
        if not readers:
            continue
        url = site_url(scope, "chapter", _reading_path(chapter))
        for lang, group in by_locale(readers).items():
            text = NEW_CHAPTER[lang].format(book=chapter["book"], chapter=chapter["name"])
            await send_many(
                scope,
                [reader.id for reader in group],
                {"type": NotifType.CHAPTER_NEW.value, "message": text[:1000], "url": url[:512]},
            )
        await send_chapter_email.batch(
            scope,
            template_alias="new-chapter",
            messages=[
                BatchEmail(
                    to=reader.email,
                    template_model=NewChapter(
                        name=reader.name,
                        book=chapter["book"],
                        chapter=chapter["name"],
                        author=chapter["author"],
                        url=url,
                        unsubscribe_url=unsubscribe_url,
                    ),
                    lang="en" if reader.locale == "en" else "id",
                    dedupe_key=f"new-chapter:{chapter['id']}:{reader.id}",
                )
                for reader in readers
            ],
        )


async def _followers(scope: Scope, authors: set[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """The live logins following each author: id, name, email (one query)."""
    result = await scope.db.execute(
        select(AuthorFollow.id_author, AuthUser.id, AuthUser.name, AuthUser.email, AuthUser.locale)
        .join(AuthUser, AuthUser.id == AuthorFollow.id_user)
        .where(AuthorFollow.id_author.in_(authors), AuthUser.deleted_at.is_(None))
        .order_by(AuthUser.id)
    )
    found: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for row in result:
        found[row.id_author].append(row)
    return found


def _reading_path(chapter: Row) -> str:
    """``/chapter/<book slug>/<number>/<chapter slug>`` on the chapter site."""
    slug = re.sub(r"[^a-z0-9]+", "-", chapter["name"].lower()).strip("-") or "bab"
    return f"/chapter/{chapter['book_slug']}/{chapter['number']}/{slug[:80]}"
