"""What the store and the chapter site list: published, live books and products."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.engine import RowMapping

from esensi.models.author import Author
from esensi.models.book import Book, BookGenre
from esensi.models.enums import BookStatus
from rlib import Scope


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of rows and the total number of matching rows."""

    rows: Sequence[RowMapping]
    total: int


def _chapter_books_in(genre_ids: Sequence[uuid.UUID]) -> Select[uuid.UUID]:
    return (
        select(Book.id)
        .join(BookGenre, BookGenre.id_book == Book.id)
        .where(
            BookGenre.id_genre.in_(genre_ids),
            Book.is_chapter.is_(True),
            Book.status == BookStatus.PUBLISHED,
            Book.deleted_at.is_(None),
        )
        .distinct()
    )


async def chapter_books_by_genre(
    scope: Scope, genre_ids: Sequence[uuid.UUID], *, page: int, limit: int
) -> Listing:
    """Published chapter books in any of ``genre_ids``, newest first, as card rows."""
    matching = _chapter_books_in(genre_ids).subquery()
    total = await scope.db.scalar(select(func.count()).select_from(matching))
    rows = await scope.db.execute(
        select(
            Book.id,
            Book.name,
            Book.slug,
            Book.cover,
            Book.published_date,
            Author.id.label("author_id"),
            Author.name.label("author_name"),
        )
        .join(Author, Author.id == Book.id_author)
        .where(Book.id.in_(select(matching.c.id)))
        .order_by(Book.published_date.desc().nulls_last(), Book.id)
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return Listing(rows=rows.mappings().all(), total=total or 0)
