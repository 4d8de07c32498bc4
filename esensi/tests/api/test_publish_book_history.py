"""book_approval_list and book_changes_log_list: an own book's history; nobody else's."""

import datetime as dt
import uuid

import pytest

from esensi.models.book import BookApproval, BookChangesLog
from esensi.models.publisher import Publisher, PublisherAuthor
from factories import login_as, make_author, make_book

START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
async def history(database):
    async with database.sessionmaker() as db:
        author = await make_author(db, name="Andrea Hirata")
        other = await make_author(db, name="Dee Lestari")
        book = await make_book(db, author, status="rejected")
        foreign = await make_book(db, other, status="rejected")
        for step, status in enumerate(("submitted", "rejected")):
            db.add(
                BookApproval(
                    id_book=book.id,
                    status=status,
                    comment=f"langkah {step}",
                    created_at=START + dt.timedelta(days=step),
                )
            )
        for step in range(3):
            db.add(
                BookChangesLog(
                    id_book=book.id,
                    changes={"name": [f"v{step}", f"v{step + 1}"]},
                    created_at=START + dt.timedelta(days=step),
                )
            )
        db.add(BookApproval(id_book=foreign.id, status="submitted", created_at=START))
        db.add(BookChangesLog(id_book=foreign.id, changes={"slug": ["a", "b"]}, created_at=START))
        await db.commit()
    return author, book, foreign


async def test_approvals_oldest_first(client, auth, history):
    author, book, _ = history
    login_as(auth, uuid.uuid4(), author=author.id)
    response = await client.post("/api/publish/book-approval/list", json={"id_book": str(book.id)})
    assert response.status_code == 200, response.text
    rows = response.json()["data"]
    assert [(row["status"], row["comment"]) for row in rows] == [
        ("submitted", "langkah 0"),
        ("rejected", "langkah 1"),
    ]
    assert "id_internal" not in rows[0]


async def test_changes_newest_first_by_default_and_paged(client, auth, history):
    author, book, _ = history
    login_as(auth, uuid.uuid4(), author=author.id)
    url = "/api/publish/book-changes-log/list"
    newest = (await client.post(url, json={"id_book": str(book.id)})).json()["data"]
    assert [row["changes"]["name"][1] for row in newest] == ["v3", "v2", "v1"]
    oldest = await client.post(
        url, json={"id_book": str(book.id), "order": "asc", "limit": 1, "offset": 1}
    )
    assert [row["changes"]["name"][1] for row in oldest.json()["data"]] == ["v2"]
    second = await client.get(url, params={"id_book": str(book.id), "limit": 2, "page": 2})
    assert [row["changes"]["name"][1] for row in second.json()["data"]] == ["v1"]
    assert second.json()["pagination"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}
    for bad in (
        {"order": "sideways"},
        {"limit": 101},
        {"offset": -1},
        {"page": 0},
        {"page": 10**12},
        {"id_author": "x"},
    ):
        response = await client.post(url, json={"id_book": str(book.id), **bad})
        assert response.status_code == 422, bad


async def test_publisher_sees_history_only_through_an_active_link(client, auth, database, history):
    author, book, _ = history
    async with database.sessionmaker() as db:
        publisher = Publisher(name="Bentang Pustaka")
        db.add(publisher)
        await db.flush()
        link = PublisherAuthor(publisher_id=publisher.id, author_id=author.id, status="invited")
        db.add(link)
        await db.commit()
    login_as(auth, uuid.uuid4(), publisher=publisher.id)
    body = {"id_book": str(book.id)}
    for status in ("invited", "declined"):
        async with database.sessionmaker() as db:
            stored = await db.get(PublisherAuthor, link.id)
            assert stored is not None
            stored.status = status
            await db.commit()
        response = await client.post("/api/publish/book-approval/list", json=body)
        assert response.status_code == 404, status
    async with database.sessionmaker() as db:
        stored = await db.get(PublisherAuthor, link.id)
        assert stored is not None
        stored.status = "active"
        await db.commit()
    response = await client.post("/api/publish/book-changes-log/list", json=body)
    assert response.status_code == 200
    assert len(response.json()["data"]) == 3


async def test_foreign_book_history_is_404_for_everyone_else(client, auth, history):
    author, _, foreign = history
    body = {"id_book": str(foreign.id)}
    login_as(auth, uuid.uuid4(), author=author.id)
    for url in ("/api/publish/book-approval/list", "/api/publish/book-changes-log/list"):
        response = await client.post(url, json=body)
        assert response.status_code == 404
        assert response.json()["message"] == "Buku tidak ditemukan"
        unknown = await client.post(url, json={"id_book": str(uuid.uuid4())})
        assert unknown.status_code == 404
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    response = await client.post("/api/publish/book-approval/list", json=body)
    assert response.status_code == 403
