"""Chapters of an own chapter-book: write, renumber, delete and publish them.

Every chapter is reached through its book: the caller must manage the book's author (an author
their own, a publisher its actively linked authors); anything else is "Bab/Buku tidak
ditemukan" before any other check. Batches are all-or-nothing (the request's one transaction).

``(id_book, number)`` is unique and both databases check it row by row inside one UPDATE, so a
renumbering first lifts the moving chapters above every valid number (``OFFSET``) in one
statement, then writes the final numbers in one more.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, case, delete, false, func, literal, select, update

from esensi.models.book import Book
from esensi.models.chapter import Chapter
from esensi.models.enums import ChapterStatus
from esensi.services import editorjs, ownership
from rlib import ConflictError, NotFoundError, Scope, ValidationError
from rlib.db.base import utcnow
from rlib.db.ids import uuid7
from rlib.errors import FieldError, StaleVersionError

CHAPTERS = cast(Table, Chapter.__table__)
MAX_NUMBER = 99_999  # the highest chapter number
OFFSET = MAX_NUMBER + 1  # a lifted number never meets a final one
SUMMARY = (
    Chapter.id,
    Chapter.id_book,
    Chapter.number,
    Chapter.name,
    Chapter.is_free,
    Chapter.status,
    Chapter.published_at,
    Chapter.version,
    Chapter.created_at,
    Chapter.updated_at,
)
FULL = (*SUMMARY, Chapter.content)
EDITABLE = ("number", "name", "content", "is_free")
Row = dict[str, Any]


class NotAChapterBookError(ConflictError):
    """409: chapters belong to books published chapter by chapter (``is_chapter``)."""

    code = "book_not_chaptered"
    key = "chapter.book_not_chaptered"


class ChapterNumberTakenError(ConflictError):
    """409: the book already has a chapter with this number."""

    code = "chapter_number_taken"
    key = "chapter.number_taken"


class BookNotPublishedError(ConflictError):
    """409: chapters go live only in a published chapter-book."""

    code = "book_not_published"
    key = "chapter.book_not_published"


class ChapterAlreadyPublishedError(ConflictError):
    """409: only a draft chapter is published."""

    code = "chapter_published"
    key = "chapter.already_published"


def not_found() -> NotFoundError:
    return NotFoundError("resource.chapter")


async def visible_books(scope: Scope) -> ColumnElement[bool]:
    """The live books whose chapters the caller manages, as a condition on ``Book``."""
    owners = await ownership.managed_author_ids(scope)
    live = Book.deleted_at.is_(None)
    if owners is None or owners == []:
        return false()
    if isinstance(owners, list):
        return live & Book.id_author.in_(owners)
    return live & (Book.id_author == owners)


async def chapter_book(scope: Scope, book_id: uuid.UUID) -> Book:
    """The caller's chapter-book, locked so concurrent writers number chapters one at a time."""
    book = await ownership.own_book(scope, book_id, lock=True)
    if not book.is_chapter:
        raise NotAChapterBookError()
    return book


# -- create ------------------------------------------------------------------------------


async def create(
    scope: Scope, book_id: uuid.UUID, items: Sequence[Row], *, loc: tuple[str | int, ...]
) -> list[Row]:
    """Insert draft chapters (``number`` None: after the last one) in one statement.

    ``loc`` is where the items sit in the request, to name a bad block or a taken number.
    """
    await chapter_book(scope, book_id)
    for index, item in enumerate(items):
        editorjs.check(item["content"], (*_at(loc, index), "content"))
    taken = set(await scope.db.scalars(select(Chapter.number).where(Chapter.id_book == book_id)))
    numbers = _numbers(items, taken)
    for index, number in enumerate(numbers):
        if number > MAX_NUMBER:  # numbered on after the highest allowed one
            raise ValidationError(
                [
                    FieldError(
                        loc=(*_at(loc, index), "number"), key="v.le", params={"le": MAX_NUMBER}
                    )
                ]
            )
    now = utcnow()
    rows = [
        {
            "id": uuid7(),
            "id_book": book_id,
            "number": number,
            "name": item["name"],
            "content": item["content"],
            "is_free": item["is_free"],
            "status": ChapterStatus.DRAFT.value,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for item, number in zip(items, numbers, strict=True)
    ]
    await scope.db.execute(CHAPTERS.insert().values(rows))  # one multi-row statement
    return await _rows(scope, [row["id"] for row in rows], FULL)


def _at(loc: tuple[str | int, ...], index: int) -> tuple[str | int, ...]:
    # A single create names fields at the top of the body; a batch under its list.
    return loc if loc == ("body",) else (*loc, index)


def _numbers(items: Sequence[Row], taken: set[int]) -> list[int]:
    """Given numbers must be free and distinct; a missing one follows the previous item's
    (the first: the book's last chapter), skipping numbers in use."""
    used = set(taken)
    for item in items:
        number = item.get("number")
        if number is None:
            continue
        if number in used:
            raise ChapterNumberTakenError(number=number)
        used.add(number)
    previous = max(taken, default=0)
    numbers = []
    for item in items:
        number = item.get("number")
        if number is None:
            number = previous + 1
            while number in used:
                number += 1
            used.add(number)
        numbers.append(number)
        previous = number
    return numbers


async def _rows(scope: Scope, ids: Sequence[uuid.UUID], columns: Sequence[Any]) -> list[Row]:
    """The chapters ``ids`` in reading order (book, then number)."""
    result = await scope.db.execute(
        select(*columns).where(Chapter.id.in_(ids)).order_by(Chapter.id_book, Chapter.number)
    )
    return [dict(row._mapping) for row in result]


# -- update ------------------------------------------------------------------------------


async def update_many(
    scope: Scope, changes: Sequence[Row], *, loc: tuple[str | int, ...]
) -> list[uuid.UUID]:
    """Apply every edit or none: all chapters visible, versions current, numbers free.

    Each change is ``{"id", "version"?, <fields to set>}``; returns the ids in request order.
    """
    ids = [change["id"] for change in changes]
    current = await _visible_locked(scope, ids)  # the owner scope answers before any check
    _distinct(ids, loc)
    for index, change in enumerate(changes):
        if change.get("content") is not None:
            editorjs.check(change["content"], (*_at(loc, index), "content"))
    for change in changes:
        expected = change.get("version")
        if expected is not None and expected != current[change["id"]]["version"]:
            raise StaleVersionError()
    moving = await _check_numbers(scope, changes, current)
    if moving:
        await _lift(scope, Chapter.id.in_(moving))
    await _write(scope, changes)
    return ids


def _distinct(ids: Sequence[uuid.UUID], loc: tuple[str | int, ...]) -> None:
    seen: set[uuid.UUID] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            raise ValidationError(
                [FieldError(loc=(*_at(loc, index), "id"), key="chapter.duplicate_id")]
            )
        seen.add(ident)


async def _visible_locked(scope: Scope, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Row]:
    """The chapters ``ids`` (id, book, number, version), locked; 404 unless every one is
    the caller's."""
    stmt = (
        select(Chapter.id, Chapter.id_book, Chapter.number, Chapter.version)
        .join(Book, Book.id == Chapter.id_book)
        .where(Chapter.id.in_(ids), await visible_books(scope))
        .with_for_update(of=Chapter)
    )
    found = {row.id: dict(row._mapping) for row in await scope.db.execute(stmt)}
    if len(found) != len(set(ids)):
        raise not_found()
    return found


async def _check_numbers(
    scope: Scope, changes: Sequence[Row], current: dict[uuid.UUID, Row]
) -> list[uuid.UUID]:
    """409 when two chapters of a book would share a number; returns the chapters that move."""
    final = {ident: row["number"] for ident, row in current.items()}
    moving = []
    for change in changes:
        number = change.get("number")
        if number is not None and number != final[change["id"]]:
            final[change["id"]] = number
            moving.append(change["id"])
    if not moving:
        return []
    books = {row["id_book"] for row in current.values()}
    others = await scope.db.execute(
        select(Chapter.id_book, Chapter.number).where(
            Chapter.id_book.in_(books), Chapter.id.not_in(list(current))
        )
    )
    used: dict[uuid.UUID, set[int]] = defaultdict(set)
    for book_id, number in others:
        used[book_id].add(number)
    for ident, number in final.items():
        book_numbers = used[current[ident]["id_book"]]
        if number in book_numbers:
            raise ChapterNumberTakenError(number=number)
        book_numbers.add(number)
    return moving


async def _lift(scope: Scope, where: ColumnElement[bool]) -> None:
    """Move chapters above every valid number, so final numbers can be written row by row."""
    table = CHAPTERS
    await scope.db.execute(update(table).where(where).values(number=table.c.number + OFFSET))


async def _write(scope: Scope, changes: Sequence[Row]) -> None:
    """Every edit in one UPDATE: per field, ``CASE id WHEN … THEN <new> ELSE <field> END``."""
    table = CHAPTERS
    values: dict[str, Any] = {}
    for field in EDITABLE:
        column = table.c[field]
        whens = [
            (
                table.c.id == literal(change["id"], table.c.id.type),
                literal(change[field], column.type),
            )
            for change in changes
            if change.get(field) is not None
        ]
        if whens:
            values[field] = case(*whens, else_=column)
    values.update(version=table.c.version + 1, updated_at=utcnow())
    ids = [change["id"] for change in changes]
    await scope.db.execute(update(table).where(table.c.id.in_(ids)).values(values))


async def one(scope: Scope, chapter_id: uuid.UUID) -> Row:
    """An own chapter with its content (404 otherwise)."""
    stmt = (
        select(*FULL)
        .join(Book, Book.id == Chapter.id_book)
        .where(Chapter.id == chapter_id, await visible_books(scope))
    )
    found = (await scope.db.execute(stmt)).first()
    if found is None:
        raise not_found()
    return dict(found._mapping)


async def summaries(scope: Scope, ids: Sequence[uuid.UUID]) -> list[Row]:
    """Chapters the caller was just allowed to change, without content, in reading order."""
    return await _rows(scope, ids, SUMMARY)


# -- delete, list, reorder ----------------------------------------------------------------


async def delete_many(scope: Scope, ids: Sequence[uuid.UUID]) -> int:
    """Hard delete own chapters; one foreign or unknown id → 404 and nothing is deleted."""
    unique = list(dict.fromkeys(ids))
    await _visible_locked(scope, unique)
    result = await scope.db.execute(delete(CHAPTERS).where(Chapter.id.in_(unique)))
    return int(getattr(result, "rowcount", 0) or 0)


async def page(
    scope: Scope,
    book_id: uuid.UUID,
    *,
    search: str | None,
    status: str | None,
    page: int,
    limit: int,
) -> tuple[list[Row], int]:
    """One page of an own book's chapters in reading order, and how many match."""
    await ownership.own_book(scope, book_id)
    where: list[ColumnElement[bool]] = [Chapter.id_book == book_id]
    if search is not None:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(Chapter.name.ilike(f"%{escaped}%", escape="\\"))
    if status is not None:
        where.append(Chapter.status == status)
    total = await scope.db.scalar(select(func.count()).select_from(Chapter).where(*where))
    result = await scope.db.execute(
        select(*SUMMARY)
        .where(*where)
        .order_by(Chapter.number)
        .limit(limit)
        .offset((page - 1) * limit)
    )
    return [dict(row._mapping) for row in result], int(total or 0)


async def reorder(scope: Scope, book_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> list[Row]:
    """Number the book's chapters 1..n in the order of ``ids`` (every chapter, each once)."""
    await ownership.own_book(scope, book_id, lock=True)
    present = set(await scope.db.scalars(select(Chapter.id).where(Chapter.id_book == book_id)))
    if set(ids) - present:  # another book's chapter, or none at all
        raise not_found()
    _distinct_order(ids)
    if present - set(ids):
        raise ValidationError(
            [
                FieldError(
                    loc=("body", "ids"),
                    key="chapter.order_incomplete",
                    params={"count": len(present)},
                )
            ]
        )
    await _lift(scope, Chapter.id_book == book_id)
    position = case({ident: number for number, ident in enumerate(ids, start=1)}, value=Chapter.id)
    table = CHAPTERS
    await scope.db.execute(
        update(table)
        .where(table.c.id_book == book_id)
        .values(number=position, version=table.c.version + 1, updated_at=utcnow())
    )
    result = await scope.db.execute(
        select(*SUMMARY).where(Chapter.id_book == book_id).order_by(Chapter.number)
    )
    return [dict(row._mapping) for row in result]


def _distinct_order(ids: Sequence[uuid.UUID]) -> None:
    seen: set[uuid.UUID] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            raise ValidationError(
                [FieldError(loc=("body", "ids", index), key="chapter.duplicate_id")]
            )
        seen.add(ident)
