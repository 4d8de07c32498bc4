"""The author's own books through the CRUD resource: scoping, publishers, editability, SQL count."""

import uuid

import pytest
from sqlalchemy import update

from esensi.models.book import Book
from esensi.models.publisher import Publisher, PublisherAuthor
from factories import login_as, make_author, make_book
from rlib.testing.statements import count_statements


@pytest.fixture
async def authors(database):
    async with database.sessionmaker() as db:
        found = [
            await make_author(db, name="Andrea Hirata"),
            await make_author(db, name="Dee Lestari"),
        ]
        await db.commit()
    return found


async def _create(client, slug, **extra):
    response = await client.post(
        "/api/publish/book/create", json={"name": slug.title(), "slug": slug, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_author_sees_and_changes_only_own_books(client, auth, authors):
    login_as(auth, uuid.uuid4(), author=authors[0].id)
    mine = await _create(client, "laskar-pelangi", submitted_price="45000.50")
    assert mine["status"] == "draft"
    assert mine["id_author"] == str(authors[0].id)
    assert mine["submitted_price"] == "45000.50"
    login_as(auth, uuid.uuid4(), author=authors[1].id)
    await _create(client, "supernova")
    listed = (await client.get("/api/publish/book")).json()
    assert [row["slug"] for row in listed["data"]] == ["supernova"]
    assert listed["data"][0]["author"]["name"] == "Dee Lestari"
    for response in (
        await client.get(f"/api/publish/book/{mine['id']}"),
        await client.post("/api/publish/book/detail", json={"id": mine["id"]}),
        await client.patch(f"/api/publish/book/{mine['id']}", json={"name": "x"}),
        await client.delete(f"/api/publish/book/{mine['id']}"),
    ):
        assert response.status_code == 404
        assert response.json()["message"] == "Buku tidak ditemukan"


async def test_status_owner_and_product_are_server_owned(client, auth, authors):
    login_as(auth, uuid.uuid4(), author=authors[0].id)
    for extra in ({"status": "published"}, {"id_product": str(uuid.uuid4())}, {"version": 3}):
        response = await client.post(
            "/api/publish/book/create", json={"name": "A", "slug": "a", **extra}
        )
        assert response.status_code == 422, extra
    hijack = await client.post(
        "/api/publish/book/create", json={"name": "A", "slug": "a", "id_author": str(authors[1].id)}
    )
    assert hijack.status_code == 422, hijack.text  # another author: refused, not overwritten
    assert hijack.json()["errors"][0]["field"] == "id_author"


async def test_submitted_books_cannot_be_edited_or_deleted(client, auth, authors, database):
    login_as(auth, uuid.uuid4(), author=authors[0].id)
    book = await _create(client, "terkunci")
    async with database.sessionmaker() as db:
        await db.execute(
            update(Book).where(Book.id == uuid.UUID(book["id"])).values(status="submitted")
        )
        await db.commit()
    response = await client.patch(f"/api/publish/book/{book['id']}", json={"name": "Baru"})
    assert response.status_code == 409
    assert response.json()["code"] == "book_not_editable"
    assert (await client.delete(f"/api/publish/book/{book['id']}")).status_code == 409


async def test_publisher_manages_books_of_active_authors_only(client, auth, authors, database):
    async with database.sessionmaker() as db:
        publisher = Publisher(name="Bentang Pustaka")
        db.add(publisher)
        await db.flush()
        db.add(PublisherAuthor(publisher_id=publisher.id, author_id=authors[0].id, status="active"))
        db.add(
            PublisherAuthor(publisher_id=publisher.id, author_id=authors[1].id, status="invited")
        )
        await make_book(db, authors[0], slug="milik-aktif", status="draft")
        await make_book(db, authors[1], slug="milik-undangan", status="draft")
        await db.commit()
    login_as(auth, uuid.uuid4(), publisher=publisher.id)
    listed = (await client.get("/api/publish/book")).json()
    assert [row["slug"] for row in listed["data"]] == ["milik-aktif"]
    created = await _create(client, "terbitan-baru", id_author=str(authors[0].id))
    assert created["id_author"] == str(authors[0].id)
    refused = await client.post(
        "/api/publish/book/create", json={"name": "X", "slug": "x", "id_author": str(authors[1].id)}
    )
    assert refused.status_code == 422


async def test_book_list_costs_rows_count_and_one_include_query(client, auth, authors, database):
    login_as(auth, uuid.uuid4(), author=authors[0].id)
    for index in range(5):
        await _create(client, f"buku-{index}")
    async with count_statements(database) as log:
        body = (await client.get("/api/publish/book", params={"limit": 3})).json()
    assert len(body["data"]) == 3
    assert body["pagination"]["total"] == 5
    assert log.count == 3, log.statements


async def test_trash_and_restore_under_the_spec_names(client, auth, authors):
    login_as(auth, uuid.uuid4(), author=authors[0].id)
    book = await _create(client, "sampah")
    await client.post("/api/publish/book/delete", json={"id": book["id"]})
    trash = (await client.post("/api/publish/book/trash", json={})).json()
    assert [row["id"] for row in trash["data"]] == [book["id"]]
    restored = await client.post("/api/publish/book/restore", json={"id": book["id"]})
    assert restored.json()["data"]["deleted_at"] is None


async def test_every_url_form_of_create_answers_201(client, auth, authors):
    login_as(auth, uuid.uuid4(), author=authors[0].id)
    for index, (url, wrap) in enumerate(
        [
            ("/api/publish/book", lambda fields: fields),  # REST: no "action"
            ("/api/publish/book/create", lambda fields: fields),  # per-operation URL
            ("/api/publish/book", lambda fields: {"action": "create", "data": fields}),
            ("/api/publish/book", lambda fields: {"action": "create", **fields}),
        ]
    ):
        response = await client.post(url, json=wrap({"name": "Buku", "slug": f"buku-{index}"}))
        assert response.status_code == 201, (url, response.text)
        assert response.json()["data"]["slug"] == f"buku-{index}"


async def test_get_of_the_list_url_lists_like_the_resource_url(client, auth, authors):
    # Was 422: `GET /book/{id}` read "list" as a book id (ADR f-crud-list-get).
    login_as(auth, uuid.uuid4(), author=authors[0].id)
    for slug in ("laskar-pelangi", "sang-pemimpi", "edensor"):
        await _create(client, slug)
    query = {"search": "pe", "limit": 1, "page": 2}
    listed = await client.get("/api/publish/book/list", params=query)
    assert listed.status_code == 200, listed.text
    assert listed.json() == (await client.get("/api/publish/book", params=query)).json()
    assert listed.json()["pagination"]["total"] == 2
    for word in ("create", "update", "delete", "submit"):
        response = await client.get(f"/api/publish/book/{word}")
        assert response.status_code == 405, (word, response.text)
        assert response.json()["code"] == "method_not_allowed"
