"""The review queue (book/list, book/get): submitted books only, oldest first, reviewers only."""

import datetime as dt
import uuid

import pytest
from review_helpers import sign_in_staff, submit_book

from rlib.testing.statements import count_statements

BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
async def queue(database):
    """Three submitted books (written on one day, submitted on days 3, 1, 2) and a draft and
    a published one."""
    waiting = [
        await submit_book(database, created_at=BASE, updated_at=BASE + dt.timedelta(days=day))
        for day in (3, 1, 2)
    ]
    others = [await submit_book(database, status=status) for status in ("draft", "published")]
    return waiting, others


async def test_list_is_submitted_books_oldest_first(client, auth, database, queue):
    waiting, _ = queue
    await sign_in_staff(database, auth, "support")
    for response in (
        await client.get("/api/internal/book"),
        await client.post("/api/internal/book/list", json={}),
    ):
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["pagination"]["total"] == 3
        expected = [str(waiting[i].book_id) for i in (1, 2, 0)]
        assert [row["id"] for row in body["data"]] == expected
        assert {row["status"] for row in body["data"]} == {"submitted"}
        assert body["data"][0]["author"]["name"].startswith("Penulis")


async def test_list_filters_by_author_and_refuses_unknown_filters(client, auth, database, queue):
    waiting, _ = queue
    await sign_in_staff(database, auth, "management")
    one = await client.get("/api/internal/book", params={"id_author": str(waiting[0].author_id)})
    assert [row["id"] for row in one.json()["data"]] == [str(waiting[0].book_id)]
    unknown = await client.get("/api/internal/book", params={"status": "published"})
    assert unknown.status_code == 422


async def test_get_shows_a_submitted_book_and_404s_the_rest(client, auth, database, queue):
    waiting, others = queue
    await sign_in_staff(database, auth, "support")
    found = await client.post("/api/internal/book/get", json={"id": str(waiting[0].book_id)})
    assert found.status_code == 200
    assert found.json()["data"]["author"]["id"] == str(waiting[0].author_id)
    assert [a["status"] for a in found.json()["data"]["approvals"]] == ["submitted"]
    for book_id in (others[0].book_id, others[1].book_id, uuid.uuid4()):
        missing = await client.get(f"/api/internal/book/{book_id}")
        assert missing.status_code == 404
        assert missing.json()["message"] == "Buku tidak ditemukan"


async def test_queue_is_read_only(client, auth, database, queue):
    waiting, _ = queue
    await sign_in_staff(database, auth, "management")
    # The queue resource has no write verbs: its action URL names the ones it has (422).
    body = {"action": "delete", "id": str(waiting[0].book_id)}
    create = {"name": "Baru", "slug": "baru"}
    for sent in (body, create):
        response = await client.post("/api/internal/book", json=sent)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"][-1] == "action"


async def test_get_costs_the_row_and_its_includes(client, auth, database, queue):
    waiting, _ = queue
    await sign_in_staff(database, auth, "support")
    async with count_statements(database) as log:
        response = await client.get(f"/api/internal/book/{waiting[0].book_id}")
    assert response.status_code == 200
    assert log.count == 3, log.statements  # the row, author with publisher, the approvals


async def test_list_costs_rows_count_and_includes(client, auth, database, queue):
    await sign_in_staff(database, auth, "support")
    async with count_statements(database) as log:
        body = (await client.get("/api/internal/book", params={"limit": 2})).json()
    assert len(body["data"]) == 2
    assert log.count == 3, log.statements  # the same with 3 or 300 books waiting


@pytest.mark.parametrize("roles", [("it",), ("sales_and_marketing",)])
async def test_other_staff_are_403(client, auth, database, queue, roles):
    await sign_in_staff(database, auth, *roles)
    assert (await client.get("/api/internal/book")).status_code == 403
    waiting, _ = queue
    response = await client.get(f"/api/internal/book/{waiting[0].book_id}")
    assert response.status_code == 403
