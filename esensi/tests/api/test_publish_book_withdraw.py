"""book_withdraw: an owner pulls a submitted book back to draft; others 404, other states 409."""

import uuid

import pytest
from sqlalchemy import select

from esensi.models.book import Book, BookChangesLog
from factories import login_as, make_author, make_book, make_user


@pytest.fixture
async def books(database):
    async with database.sessionmaker() as db:
        user = await make_user(db, name="Andrea Hirata")
        mine = await make_author(db, name="Andrea Hirata", id_user=user.id)
        other = await make_author(db, name="Dee Lestari")
        found = {
            "submitted": await make_book(db, mine, status="submitted"),
            "draft": await make_book(db, mine, status="draft"),
            "published": await make_book(db, mine, status="published"),
            "foreign": await make_book(db, other, status="submitted"),
        }
        await db.commit()
    return mine, found


async def _withdraw(client, book_id, **headers):
    return await client.post(
        "/api/publish/book/withdraw", json={"id": str(book_id)}, headers=headers
    )


async def test_submitted_book_returns_to_draft(client, auth, database, books):
    author, found = books
    login_as(auth, author.id_user, author=author.id)
    response = await _withdraw(client, found["submitted"].id)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["status"] == "draft"
    assert data["version"] == found["submitted"].version + 1
    async with database.sessionmaker() as db:
        stored = await db.get(Book, found["submitted"].id)
        assert stored is not None
        assert stored.status == "draft"
        (log,) = (await db.scalars(select(BookChangesLog))).all()
        assert log.id_book == stored.id
        assert log.id_user == author.id_user
        assert log.changes == {"old": {"status": "submitted"}, "new": {"status": "draft"}}


@pytest.mark.parametrize("state", ["draft", "published"])
async def test_only_a_submitted_book_can_be_withdrawn(client, auth, books, state):
    author, found = books
    login_as(auth, uuid.uuid4(), author=author.id)
    response = await _withdraw(client, found[state].id, **{"Accept-Language": "en"})
    assert response.status_code == 409
    assert response.json()["message"] == "Only a submitted book can be withdrawn"


async def test_foreign_or_unknown_book_is_404_and_untouched(client, auth, database, books):
    author, found = books
    login_as(auth, uuid.uuid4(), author=author.id)
    for book_id in (found["foreign"].id, uuid.uuid4()):
        response = await _withdraw(client, book_id)
        assert response.status_code == 404
        assert response.json()["message"] == "Buku tidak ditemukan"
    login_as(auth, uuid.uuid4(), publisher=uuid.uuid4())
    assert (await _withdraw(client, found["submitted"].id)).status_code == 404
    async with database.sessionmaker() as db:
        stored = await db.get(Book, found["foreign"].id)
        assert stored is not None
        assert stored.status == "submitted"


async def test_customer_is_refused(client, auth, books):
    _, found = books
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await _withdraw(client, found["submitted"].id)).status_code == 403
