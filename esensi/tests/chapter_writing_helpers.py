"""Shared by the chapter-writing tests: Editor.js documents, a writer's world, chapter numbers."""

from typing import Any

from sqlalchemy import select

from esensi.models.chapter import Chapter
from factories.writing import make_chapter, make_own_book, make_writer


def doc(*texts: str) -> dict[str, Any]:
    return {"blocks": [{"type": "paragraph", "data": {"text": t}} for t in texts]}


async def chapter_world(database: Any) -> dict[str, Any]:
    """A writer with a draft chapter-book of three chapters and a draft e-book, and another
    writer with a published chapter-book of one chapter."""
    async with database.sessionmaker() as db:
        writer = await make_writer(db, "Andrea Hirata")
        other = await make_writer(db, "Dee Lestari")
        book = await make_own_book(db, writer, status="draft", is_chapter=True)
        ebook = await make_own_book(db, writer, status="draft", is_chapter=False)
        foreign = await make_own_book(db, other, status="published", is_chapter=True)
        chapters = [await make_chapter(db, book, n) for n in (1, 2, 3)]
        foreign_chapter = await make_chapter(db, foreign, 1)
        await db.commit()
    return {
        "writer": writer,
        "other": other,
        "book": book,
        "ebook": ebook,
        "foreign": foreign,
        "chapters": chapters,
        "foreign_chapter": foreign_chapter,
    }


async def chapter_numbers(database: Any, book_id: object) -> list[tuple[int, str]]:
    async with database.sessionmaker() as db:
        rows = await db.execute(
            select(Chapter.number, Chapter.name)
            .where(Chapter.id_book == book_id)
            .order_by(Chapter.number)
        )
    return [tuple(row) for row in rows]
