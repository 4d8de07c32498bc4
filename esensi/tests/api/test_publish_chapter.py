"""Chapters of an own chapter-book: create, bulk create, update, bulk update, delete, with their
error answers; nothing half-done on a failure (listing and reordering:
test_publish_chapter_order)."""

import uuid

import pytest
from chapter_writing_helpers import chapter_numbers, chapter_world, doc

from rlib.testing.statements import count_statements

BASE = "/api/publish/chapter"


@pytest.fixture
async def world(database):
    return await chapter_world(database)


async def test_create_one_chapter_after_the_last(client, auth, database, world):
    world["writer"].sign_in(auth)
    response = await client.post(
        f"{BASE}/create",
        json={"id_book": str(world["book"].id), "name": "Bab Baru", "content": doc("Halo")},
    )
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert (data["number"], data["status"], data["version"]) == (4, "draft", 1)
    assert data["content"] == doc("Halo")
    numbered = await client.post(
        f"{BASE}/create", json={"id_book": str(world["book"].id), "name": "Sepuluh", "number": 10}
    )
    assert numbered.json()["data"]["number"] == 10


async def test_a_taken_number_is_409_naming_it(client, auth, database, world):
    world["writer"].sign_in(auth)
    before = await chapter_numbers(database, world["book"].id)
    response = await client.post(
        f"{BASE}/create", json={"id_book": str(world["book"].id), "name": "Dua", "number": 2}
    )
    assert response.status_code == 409
    assert response.json()["message"] == "Nomor bab 2 sudah dipakai di buku ini"
    assert await chapter_numbers(database, world["book"].id) == before


async def test_bulk_create_is_all_or_nothing(client, auth, database, world):
    world["writer"].sign_in(auth)
    book = str(world["book"].id)
    good = await client.post(
        f"{BASE}/creates",
        json={
            "id_book": book,
            "chapters": [{"name": "A"}, {"name": "B", "number": 7}, {"name": "C"}],
        },
    )
    assert good.status_code == 201, good.text
    assert [row["number"] for row in good.json()["data"]] == [4, 7, 8]
    assert all("content" not in row for row in good.json()["data"])
    before = await chapter_numbers(database, world["book"].id)
    clash = await client.post(
        f"{BASE}/creates",
        json={
            "id_book": book,
            "chapters": [{"name": "X", "number": 20}, {"name": "Y", "number": 20}],
        },
    )
    assert clash.status_code == 409
    bad_block = await client.post(
        f"{BASE}/creates",
        json={
            "id_book": book,
            "chapters": [
                {"name": "X"},
                {"name": "Y", "content": {"blocks": [{"type": "raw", "data": {}}]}},
            ],
        },
    )
    assert bad_block.status_code == 422
    (error,) = bad_block.json()["errors"]
    assert error["loc"] == ["body", "chapters", 1, "content", "blocks", 0, "type"]
    assert 'jenis "raw" tidak didukung' in error["message"]
    too_many = await client.post(
        f"{BASE}/creates", json={"id_book": book, "chapters": [{"name": "x"}] * 101}
    )
    assert too_many.status_code == 422
    assert await chapter_numbers(database, world["book"].id) == before


async def test_chapters_belong_to_chapter_books_only(client, auth, world):
    world["writer"].sign_in(auth)
    response = await client.post(
        f"{BASE}/create", json={"id_book": str(world["ebook"].id), "name": "X"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "book_not_chaptered"


@pytest.mark.parametrize(
    ("content", "where", "needle"),
    [
        ({"blocks": [{"type": "embed", "data": {}}]}, ["blocks", 0, "type"], "embed"),
        ({"blocks": [{"type": "paragraph"}]}, ["blocks", 0], "Blok ke-1 tidak valid"),
        ({"blocks": [{"type": "paragraph", "data": {}}, "x"]}, ["blocks", 1], "Blok ke-2"),
        ({"blok": []}, [], "Editor.js"),
        ({"blocks": [], "time": -1}, [], "Editor.js"),
        ({"blocks": [], "version": 5}, [], "Editor.js"),
        (
            {"blocks": [{"type": "paragraph", "data": {"text": "x" * (2 * 1024 * 1024)}}]},
            [],
            "2 MiB",
        ),
    ],
)
async def test_editorjs_content_is_checked(client, auth, world, content, where, needle):
    world["writer"].sign_in(auth)
    response = await client.post(
        f"{BASE}/create", json={"id_book": str(world["book"].id), "name": "X", "content": content}
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["loc"] == ["body", "content", *where]
    assert needle in error["message"]


@pytest.mark.parametrize(
    "content",
    [
        {"blocks": [], "time": 10**30},
        {"blocks": [{"type": "paragraph", "data": {"n": 10**30}}]},
        {"blocks": [{"type": "paragraph", "data": {"n": 2**63}}]},
        {"blocks": [{"type": "paragraph", "data": {"t": "a\x00b"}}]},
    ],
)
async def test_huge_numbers_and_nul_in_content_are_422(client, auth, world, content):
    world["writer"].sign_in(auth)
    response = await client.post(
        f"{BASE}/create", json={"id_book": str(world["book"].id), "name": "X", "content": content}
    )
    assert response.status_code == 422, response.text


async def test_english_block_message(client, auth, world):
    world["writer"].sign_in(auth)
    response = await client.post(
        f"{BASE}/create",
        json={
            "id_book": str(world["book"].id),
            "name": "X",
            "content": {"blocks": [{"type": "raw", "data": {}}]},
        },
        headers={"Accept-Language": "en"},
    )
    assert 'Block 1: type "raw" is not supported' in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "X", "status": "published"},
        {"name": "X", "id": str(uuid.uuid4())},
        {"name": "X", "version": 2},
        {"name": "X", "published_at": "2026-01-01T00:00:00Z"},
        {"name": "X", "created_at": "2026-01-01T00:00:00Z"},
        {"name": "X", "updated_at": "2026-01-01T00:00:00Z"},
        {"name": "X", "id_product": str(uuid.uuid4())},
        {"name": 5},
        {"name": "X", "number": 0},
        {"name": "X", "number": 2**40},
        {"name": "a\x00b"},
        {"name": "X", "content": []},
    ],
)
async def test_server_owned_and_malformed_fields_are_422(client, auth, world, body):
    world["writer"].sign_in(auth)
    response = await client.post(f"{BASE}/create", json={"id_book": str(world["book"].id), **body})
    assert response.status_code == 422, (body, response.text)


async def test_update_one_chapter_with_version(client, auth, database, world):
    world["writer"].sign_in(auth)
    chapter = world["chapters"][0]
    response = await client.post(
        f"{BASE}/update",
        json={"id": str(chapter.id), "name": "Awal", "content": doc("baru"), "version": 1},
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["name"], data["version"], data["content"]) == ("Awal", 2, doc("baru"))
    stale = await client.post(
        f"{BASE}/update", json={"id": str(chapter.id), "name": "Lagi", "version": 1}
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    taken = await client.post(f"{BASE}/update", json={"id": str(chapter.id), "number": 3})
    assert taken.status_code == 409
    assert taken.json()["code"] == "chapter_number_taken"
    assert (await chapter_numbers(database, world["book"].id))[0] == (1, "Awal")


async def test_bulk_update_swaps_numbers_in_one_transaction(client, auth, database, world):
    world["writer"].sign_in(auth)
    one, two, three = world["chapters"]
    response = await client.post(
        f"{BASE}/updates",
        json={
            "chapters": [
                {"id": str(one.id), "number": 3},
                {"id": str(three.id), "number": 1, "name": "Kini Pertama"},
                {"id": str(two.id), "is_free": True},
            ]
        },
    )
    assert response.status_code == 200, response.text
    assert [(r["number"], r["name"]) for r in response.json()["data"]] == [
        (1, "Kini Pertama"),
        (2, "Bab 2"),
        (3, "Bab 1"),
    ]
    assert [r["version"] for r in response.json()["data"]] == [2, 2, 2]


async def test_bulk_update_is_all_or_nothing(client, auth, database, world):
    world["writer"].sign_in(auth)
    one, two, _ = world["chapters"]
    before = await chapter_numbers(database, world["book"].id)
    failures = [
        [{"id": str(one.id), "name": "X"}, {"id": str(world["foreign_chapter"].id), "name": "Y"}],
        [{"id": str(one.id), "name": "X"}, {"id": str(uuid.uuid4()), "name": "Y"}],
        [{"id": str(one.id), "name": "X"}, {"id": str(two.id), "name": "Y", "version": 5}],
        [{"id": str(one.id), "name": "X"}, {"id": str(two.id), "number": 3}],
        [{"id": str(one.id), "name": "X"}, {"id": str(one.id), "name": "Y"}],
        [{"id": str(one.id), "name": "X"}, {"id": str(two.id), "content": {"blocks": [1]}}],
    ]
    expected = [404, 404, 409, 409, 422, 422]
    for body, status in zip(failures, expected, strict=True):
        response = await client.post(f"{BASE}/updates", json={"chapters": body})
        assert response.status_code == status, (body, response.text)
    assert await chapter_numbers(database, world["book"].id) == before
    foreign = await client.post(
        f"{BASE}/updates",
        json={"chapters": [{"id": str(world["foreign_chapter"].id), "name": "Y"}]},
    )
    assert foreign.json()["message"] == "Bab tidak ditemukan"


async def test_bulk_update_costs_the_same_statements_for_2_or_20(client, auth, database, world):
    world["writer"].sign_in(auth)
    created = await client.post(
        f"{BASE}/creates",
        json={"id_book": str(world["book"].id), "chapters": [{"name": f"n{i}"} for i in range(20)]},
    )
    ids = [row["id"] for row in created.json()["data"]]
    counts = []
    for batch in (ids[:2], ids):
        body = {"chapters": [{"id": ident, "name": "Sama", "is_free": True} for ident in batch]}
        async with count_statements(database) as log:
            response = await client.post(f"{BASE}/updates", json=body)
        assert response.status_code == 200, response.text
        counts.append(log.count)
    assert counts[0] == counts[1], counts


async def test_bulk_delete_removes_own_chapters_or_nothing(client, auth, database, world):
    world["writer"].sign_in(auth)
    one, two, _ = world["chapters"]
    for ids in (
        [one.id, world["foreign_chapter"].id],
        [one.id, uuid.uuid4()],
    ):
        response = await client.post(f"{BASE}/deletes", json={"ids": [str(i) for i in ids]})
        assert response.status_code == 404
        assert response.json()["message"] == "Bab tidak ditemukan"
    assert len(await chapter_numbers(database, world["book"].id)) == 3
    response = await client.post(
        f"{BASE}/deletes", json={"ids": [str(one.id), str(two.id), str(one.id)]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"deleted": 2}
    assert await chapter_numbers(database, world["book"].id) == [(3, "Bab 3")]
    assert (await client.post(f"{BASE}/deletes", json={"ids": []})).status_code == 422
    big = {"ids": [str(uuid.uuid4()) for _ in range(101)]}
    assert (await client.post(f"{BASE}/deletes", json=big)).status_code == 422


async def test_scope_answers_before_the_content_check(client, auth, world):
    world["writer"].sign_in(auth)
    foreign = str(world["foreign_chapter"].id)
    bad = {"blocks": [{"type": "raw", "data": {}}]}
    for url, body in (
        (f"{BASE}/update", {"id": foreign, "content": bad}),
        (f"{BASE}/updates", {"chapters": [{"id": foreign, "content": bad}]}),
        (f"{BASE}/updates", {"chapters": [{"id": foreign}, {"id": foreign}]}),
        (f"{BASE}/create", {"id_book": str(world["foreign"].id), "name": "x", "content": bad}),
    ):
        response = await client.post(url, json=body)
        assert response.status_code == 404, (url, response.text)


async def test_numbering_on_past_the_highest_number_is_422(client, auth, database, world):
    world["writer"].sign_in(auth)
    book = str(world["book"].id)
    last = await client.post(
        f"{BASE}/create", json={"id_book": book, "name": "x", "number": 99_999}
    )
    assert last.status_code == 201, last.text
    response = await client.post(f"{BASE}/create", json={"id_book": book, "name": "y"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "number"]


async def test_bulk_create_is_one_insert_whatever_the_count(client, auth, database, world):
    world["writer"].sign_in(auth)
    book = str(world["book"].id)
    for count in (2, 100):
        body = {"id_book": book, "chapters": [{"name": f"n{i}"} for i in range(count)]}
        async with count_statements(database) as log:
            response = await client.post(f"{BASE}/creates", json=body)
        assert response.status_code == 201, response.text
        inserts = [s for s in log.statements if s.lstrip().upper().startswith("INSERT")]
        assert len(inserts) == 1, count


@pytest.mark.parametrize(
    "field",
    [
        {"status": "published"},
        {"id_book": str(uuid.uuid4())},
        {"published_at": "2026-01-01T00:00:00Z"},
        {"created_at": "2026-01-01T00:00:00Z"},
    ],
)
async def test_server_owned_fields_in_a_chapter_edit_are_422(client, auth, database, world, field):
    world["writer"].sign_in(auth)
    chapter = world["chapters"][0]
    for url, body in (
        (f"{BASE}/update", {"id": str(chapter.id), "name": "X", **field}),
        (f"{BASE}/updates", {"chapters": [{"id": str(chapter.id), "name": "X", **field}]}),
    ):
        response = await client.post(url, json=body)
        assert response.status_code == 422, (url, response.text)
    assert (await chapter_numbers(database, world["book"].id))[0] == (1, "Bab 1")
