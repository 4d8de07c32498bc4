"""Chapters of an own chapter-book in reading order: the list by book, and reorder in a fixed
number of statements."""

import uuid

import pytest
from chapter_writing_helpers import chapter_numbers, chapter_world

from rlib.testing.statements import count_statements

BASE = "/api/publish/chapter"


@pytest.fixture
async def world(database):
    return await chapter_world(database)


async def test_list_by_book_in_reading_order_with_search_and_pages(client, auth, world, database):
    world["writer"].sign_in(auth)
    book = str(world["book"].id)
    await client.post(f"{BASE}/create", json={"id_book": book, "name": "Rahasia 100%", "number": 9})
    response = await client.get(f"{BASE}/list", params={"id_book": book})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [row["number"] for row in body["data"]] == [1, 2, 3, 9]
    assert all("content" not in row for row in body["data"])
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 4, "totalPages": 1}
    searched = await client.post(f"{BASE}/list", json={"id_book": book, "search": "100%"})
    assert [row["name"] for row in searched.json()["data"]] == ["Rahasia 100%"]
    paged = await client.get(f"{BASE}/list", params={"id_book": book, "limit": 2, "page": 2})
    assert [row["number"] for row in paged.json()["data"]] == [3, 9]
    for params in ({"id_book": book, "limit": 101}, {"id_book": book, "page": 0}, {"id_book": "x"}):
        assert (await client.get(f"{BASE}/list", params=params)).status_code == 422
    foreign = await client.get(f"{BASE}/list", params={"id_book": str(world["foreign"].id)})
    assert foreign.status_code == 404
    assert foreign.json()["message"] == "Buku tidak ditemukan"


async def test_list_statement_count_does_not_grow_with_chapters(client, auth, world, database):
    world["writer"].sign_in(auth)
    book = str(world["book"].id)
    async with count_statements(database) as few:
        await client.get(f"{BASE}/list", params={"id_book": book})
    await client.post(
        f"{BASE}/creates",
        json={"id_book": book, "chapters": [{"name": f"n{i}"} for i in range(30)]},
    )
    async with count_statements(database) as many:
        response = await client.get(f"{BASE}/list", params={"id_book": book, "limit": 50})
    assert len(response.json()["data"]) == 33
    assert few.count == many.count


async def test_reorder_renumbers_every_chapter(client, auth, database, world):
    world["writer"].sign_in(auth)
    one, two, three = world["chapters"]
    book = str(world["book"].id)
    response = await client.post(
        f"{BASE}/reorder", json={"id_book": book, "ids": [str(three.id), str(one.id), str(two.id)]}
    )
    assert response.status_code == 200, response.text
    assert [(r["number"], r["name"]) for r in response.json()["data"]] == [
        (1, "Bab 3"),
        (2, "Bab 1"),
        (3, "Bab 2"),
    ]
    assert await chapter_numbers(database, world["book"].id) == [
        (1, "Bab 3"),
        (2, "Bab 1"),
        (3, "Bab 2"),
    ]


async def test_reorder_needs_every_own_chapter_once(client, auth, database, world):
    world["writer"].sign_in(auth)
    one, two, three = world["chapters"]
    book = str(world["book"].id)
    before = await chapter_numbers(database, world["book"].id)
    cases = [
        ([one.id, two.id], 422),
        ([one.id, two.id, three.id, three.id], 422),
        ([one.id, two.id, three.id, world["foreign_chapter"].id], 404),
        ([one.id, two.id, uuid.uuid4()], 404),
    ]
    for ids, status in cases:
        response = await client.post(
            f"{BASE}/reorder", json={"id_book": book, "ids": [str(i) for i in ids]}
        )
        assert response.status_code == status, (ids, response.text)
    foreign = await client.post(
        f"{BASE}/reorder",
        json={"id_book": str(world["foreign"].id), "ids": [str(world["foreign_chapter"].id)]},
    )
    assert foreign.status_code == 404
    assert await chapter_numbers(database, world["book"].id) == before


async def test_reorder_is_two_statements_whatever_the_length(client, auth, database, world):
    world["writer"].sign_in(auth)
    book = str(world["book"].id)
    await client.post(
        f"{BASE}/creates",
        json={"id_book": book, "chapters": [{"name": f"n{i}"} for i in range(40)]},
    )
    listed = await client.get(f"{BASE}/list", params={"id_book": book, "limit": 100})
    ids = [row["id"] for row in listed.json()["data"]]
    async with count_statements(database) as log:
        response = await client.post(f"{BASE}/reorder", json={"id_book": book, "ids": ids[::-1]})
    assert response.status_code == 200, response.text
    updates = [s for s in log.statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 2, updates
    assert [r["name"] for r in response.json()["data"]][:2] == ["n39", "n38"]
