"""Hostile bodies on the chapter and book workflow endpoints: always a 4xx envelope, never a
500, on both databases; nothing written."""

import json

import pytest
from sqlalchemy import func, select

from esensi.models.chapter import Chapter
from factories.writing import make_chapter, make_own_book, make_writer

URLS = [
    "/api/publish/chapter/create",
    "/api/publish/chapter/creates",
    "/api/publish/chapter/update",
    "/api/publish/chapter/updates",
    "/api/publish/chapter/deletes",
    "/api/publish/chapter/list",
    "/api/publish/chapter/reorder",
    "/api/publish/chapter/publish",
    "/api/publish/book/submit",
    "/api/publish/book/withdraw",
]


def deep(levels: int) -> dict:
    node: dict = {"text": "x"}
    for _ in range(levels):
        node = {"n": node}
    return node


@pytest.fixture
async def book(database):
    async with database.sessionmaker() as db:
        writer = await make_writer(db)
        found = await make_own_book(db, writer, status="draft")
        await make_chapter(db, found, 1)
        await db.commit()
    return writer, str(found.id)


def bodies(book_id: str) -> list[object]:
    return [
        [],
        "x",
        5,
        None,
        {"id_book": 5},
        {"id_book": book_id, "chapters": {"a": 1}},
        {"id_book": book_id, "chapters": [5]},
        {"id_book": book_id, "chapters": [{"name": "x", "number": 10**30}]},
        {"id_book": book_id, "ids": "x"},
        {"id_book": book_id, "ids": [5, None]},
        {"ids": [book_id] * 101},
        {"id": "x", "name": "y"},
        {"id": book_id, "version": 10**30},
        {"id_book": book_id, "page": 10**30, "limit": -1},
        {"id_book": book_id, "search": "a" * 1000},
        {
            "id_book": book_id,
            "name": "x",
            "content": {"blocks": [{"type": "paragraph", "data": deep(80)}]},
        },
        {"id_book": book_id, "name": "x\x00", "unknown": True},
    ]


@pytest.mark.parametrize("url", URLS)
async def test_hostile_bodies_get_a_4xx(client, auth, database, book, url):
    writer, book_id = book
    writer.sign_in(auth)
    for body in bodies(book_id):
        response = await client.post(
            url, content=json.dumps(body), headers={"content-type": "application/json"}
        )
        assert 400 <= response.status_code < 500, (url, body, response.text)
        assert response.json()["success"] is False
    async with database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(Chapter)) == 1


async def test_a_body_beyond_the_chapter_limit_is_413(client, auth, book):
    writer, book_id = book
    writer.sign_in(auth)
    text = "x" * (3 * 1024 * 1024)
    body = {
        "id_book": book_id,
        "name": "x",
        "content": {"blocks": [{"type": "paragraph", "data": {"text": text}}]},
    }
    response = await client.post("/api/publish/chapter/create", json=body)
    assert response.status_code == 413
