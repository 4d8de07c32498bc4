"""Another author's book is "Buku tidak ditemukan" on every action and URL form, whatever its state.

``ensure_editable`` answers 409 ``book_not_editable`` for a submitted or published book, but only
to its owner: the engine resolves the owner scope before the hook, so to anyone else the book
answers byte for byte like an id that does not exist, and nothing is written.
"""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from esensi.models.book import Book
from factories import login_as, make_author, make_book

BASE = "/api/publish/book"
SAME_ID = {"x-request-id": "scope-first"}  # so two answers can be compared byte for byte
Form = tuple[str, str, dict | None, dict]  # method, url, JSON body, headers


def book_forms(ident: object) -> dict[str, list[Form]]:
    """Every URL form of every action on book ``ident``: REST, per-operation URLs, action URL."""
    one = f"{BASE}/{ident}"
    change = {"name": "Diubah"}
    return {
        "get": [
            ("GET", one, None, {}),
            ("POST", f"{BASE}/get", {"id": ident}, {}),
            ("POST", f"{BASE}/detail", {"id": ident}, {}),
            ("POST", BASE, {"action": "get", "id": ident}, {}),
        ],
        "update": [
            ("PATCH", one, change, {}),
            ("PATCH", one, {**change, "version": 1}, {}),
            ("PATCH", one, {**change, "version": 99}, {}),  # stale too: the scope answers first
            ("PATCH", one, change, {"if-match": '"1"'}),
            ("POST", f"{BASE}/update", {"id": ident, **change}, {}),
            ("POST", f"{BASE}/update", {"id": ident, "data": change, "version": 1}, {}),
            ("POST", BASE, {"action": "update", "id": ident, "data": change}, {}),
        ],
        "delete": [
            ("DELETE", one, None, {}),
            ("DELETE", one, None, {"if-match": "1"}),
            ("POST", f"{BASE}/delete", {"id": ident}, {}),
            ("POST", f"{BASE}/delete", {"id": ident, "version": 1}, {}),
            ("POST", BASE, {"action": "delete", "id": ident}, {}),
        ],
        "restore": [
            ("POST", f"{one}/restore", {}, {}),
            ("POST", f"{BASE}/restore", {"id": ident}, {}),
            ("POST", BASE, {"action": "restore", "id": ident}, {}),
            ("POST", f"{BASE}/bulk-restore", {"ids": [ident]}, {}),
            ("POST", BASE, {"action": "bulk_restore", "ids": [ident]}, {}),
        ],
    }


def _all(forms: dict[str, list[Form]], *actions: str) -> list[Form]:
    return [form for action, found in forms.items() if action in actions for form in found]


@pytest.fixture
async def authors(database):
    async with database.sessionmaker() as db:
        found = [
            await make_author(db, name="Andrea Hirata"),
            await make_author(db, name="Dee Lestari"),
        ]
        await db.commit()
    return found


async def _book(database, author, state: str) -> str:
    trashed = state == "trashed"
    async with database.sessionmaker() as db:
        book = await make_book(
            db,
            author,
            status="published" if trashed else state,
            deleted_at=dt.datetime.now(dt.UTC) if trashed else None,
        )
        await db.commit()
    return str(book.id)


async def _rows(database) -> list[dict]:
    async with database.sessionmaker() as db:
        found = (await db.execute(select(Book.__table__).order_by(Book.id))).mappings().all()
    return [dict(row) for row in found]


async def _request(client, form):
    method, url, body, headers = form
    return await client.request(method, url, json=body, headers={**SAME_ID, **headers})


@pytest.mark.parametrize("state", ["draft", "submitted", "published", "trashed"])
async def test_another_authors_book_answers_like_a_missing_id(
    client, auth, authors, database, state
):
    ident = await _book(database, authors[0], state)
    login_as(auth, uuid.uuid4(), author=authors[1].id)
    await _book(database, authors[1], "draft")  # the caller has books of their own
    before = await _rows(database)
    missing = str(uuid.uuid4())
    forms = ("get", "update", "delete", "restore")
    for form, twin in zip(
        _all(book_forms(ident), *forms), _all(book_forms(missing), *forms), strict=True
    ):
        response, expected = await _request(client, form), await _request(client, twin)
        assert response.status_code == 404, (form, response.text)
        assert response.json()["message"] == "Buku tidak ditemukan"
        assert response.content == expected.content, form
    assert await _rows(database) == before


async def test_the_owner_meets_book_not_editable_on_every_write_form(
    client, auth, authors, database
):
    login_as(auth, uuid.uuid4(), author=authors[0].id)
    for state in ("submitted", "published"):
        ident = await _book(database, authors[0], state)
        before = await _rows(database)
        for form in _all(book_forms(ident), "update", "delete"):
            response = await _request(client, form)
            assert response.status_code == 409, (form, response.text)
            assert response.json()["code"] == "book_not_editable"
        assert await _rows(database) == before


async def test_a_publisher_sees_no_book_of_an_author_not_linked_to_it(
    client, auth, authors, database
):
    ident = await _book(database, authors[0], "published")
    login_as(auth, uuid.uuid4(), publisher=uuid.uuid4())  # a publisher with no active authors
    before = await _rows(database)
    for form in _all(book_forms(ident), "get", "update", "delete", "restore"):
        response = await _request(client, form)
        assert response.status_code == 404, (form, response.text)
    assert await _rows(database) == before


async def test_a_verb_books_lack_is_the_same_422_for_own_and_foreign_ids(
    client, auth, authors, database
):
    # Bulk delete is not enabled for books: the action URL names the verbs it has, whatever
    # the ids (was a 404), so the answer tells nothing about another author's book.
    foreign = await _book(database, authors[0], "draft")
    login_as(auth, uuid.uuid4(), author=authors[1].id)
    own = await _book(database, authors[1], "draft")
    answers = [
        await client.post(BASE, json={"action": "bulk_delete", "ids": [ident]})
        for ident in (own, foreign)
    ]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].content == answers[1].content
    assert "bulk_delete" not in answers[0].json()["errors"][0]["message"]
