"""Owner scope of books and chapters: every action by another author, by a publisher without a
link or with an invited or declined one answers like a missing id (404) and writes nothing; a
customer or staff member is refused (403), nobody signed in is 401; lists show no foreign row.
A publisher with an active link acts like the author."""

import uuid

import pytest
from sqlalchemy import select

from esensi.models.book import Book, BookApproval, BookChangesLog
from esensi.models.chapter import Chapter
from factories import login_as, login_staff
from factories.writing import link, make_chapter, make_own_book, make_publisher, make_writer

P = "/api/publish"
SCOPED = ["other_author", "publisher_none", "publisher_invited", "publisher_declined"]


@pytest.fixture
async def world(database):
    async with database.sessionmaker() as db:
        owner = await make_writer(db, "Pemilik")
        people = {"other_author": await make_writer(db, "Penulis Lain")}
        for status in ("none", "invited", "declined", "active"):
            people[f"publisher_{status}"] = publisher = await make_publisher(db, f"P {status}")
            if status != "none":
                await link(db, publisher, owner, status)
        book = await make_own_book(db, owner, status="draft", slug="milik-pemilik")
        submitted = await make_own_book(db, owner, status="submitted", slug="diajukan")
        chapters = [await make_chapter(db, book, n) for n in (1, 2)]
        # Each caller has rows of its own, so "no foreign row" is not "no row at all".
        mine = await make_own_book(db, people["other_author"], slug="milik-lain")
        await make_chapter(db, mine, 1)
        await db.commit()
    return {
        "owner": owner,
        "people": people,
        "book": book,
        "submitted": submitted,
        "chapters": chapters,
        "mine": mine,
    }


def requests(world) -> list[tuple[str, str, dict | None]]:
    book, submitted = str(world["book"].id), str(world["submitted"].id)
    one, two = (str(c.id) for c in world["chapters"])
    return [
        ("GET", f"{P}/book/{book}", None),
        ("POST", f"{P}/book/detail", {"id": book}),
        ("PATCH", f"{P}/book/{book}", {"name": "Diambil"}),
        ("POST", f"{P}/book/update", {"id": book, "status": "submitted"}),
        ("POST", f"{P}/book/delete", {"id": book}),
        ("POST", f"{P}/book/submit", {"id": book}),
        ("POST", f"{P}/book/withdraw", {"id": submitted}),
        ("GET", f"{P}/book-approval/list?id_book={book}", None),
        ("GET", f"{P}/book-changes-log/list?id_book={book}", None),
        ("POST", f"{P}/chapter/create", {"id_book": book, "name": "Curian"}),
        ("POST", f"{P}/chapter/creates", {"id_book": book, "chapters": [{"name": "Curian"}]}),
        ("POST", f"{P}/chapter/update", {"id": one, "name": "Curian"}),
        ("POST", f"{P}/chapter/updates", {"chapters": [{"id": one, "name": "Curian"}]}),
        ("POST", f"{P}/chapter/deletes", {"ids": [one]}),
        ("GET", f"{P}/chapter/list?id_book={book}", None),
        ("POST", f"{P}/chapter/reorder", {"id_book": book, "ids": [two, one]}),
        ("POST", f"{P}/chapter/publish", {"ids": [one]}),
    ]


async def _snapshot(database) -> list:
    async with database.sessionmaker() as db:
        found = []
        for model in (Book, Chapter, BookApproval, BookChangesLog):
            rows = await db.execute(select(model.__table__).order_by(model.__table__.c.id))
            found.append([dict(row._mapping) for row in rows])
    return found


async def _call(client, method, url, body):
    return await client.request(method, url, json=body)


@pytest.mark.parametrize("who", SCOPED)
async def test_scoped_callers_get_404_and_change_nothing(client, auth, database, world, who):
    before = await _snapshot(database)
    world["people"][who].sign_in(auth)
    for method, url, body in requests(world):
        response = await _call(client, method, url, body)
        assert response.status_code == 404, (who, method, url, response.text)
        assert response.json()["message"] in ("Buku tidak ditemukan", "Bab tidak ditemukan")
    assert await _snapshot(database) == before


@pytest.mark.parametrize("who", SCOPED)
async def test_lists_hold_no_foreign_row(client, auth, world, who):
    world["people"][who].sign_in(auth)
    for method, url in (
        ("GET", f"{P}/book"),
        ("POST", f"{P}/book/list"),
        ("GET", f"{P}/book/trash"),
    ):
        response = await client.request(method, url, json={} if method == "POST" else None)
        assert response.status_code == 200, response.text
        owners = {row["id_author"] for row in response.json()["data"]}
        assert str(world["owner"].profile) not in owners


@pytest.mark.parametrize("who", ["customer", "staff", "support_staff"])
async def test_customers_and_staff_are_refused(client, auth, database, world, who):
    before = await _snapshot(database)
    if who == "customer":
        login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    else:
        login_staff(auth, *(["support", "management"] if who == "support_staff" else []))
    for method, url, body in requests(world):
        response = await _call(client, method, url, body)
        assert response.status_code == 403, (who, url, response.text)
    assert (await client.get(f"{P}/book")).status_code == 403
    assert await _snapshot(database) == before


async def test_nobody_signed_in_is_401(client, auth, world):
    auth.user = None
    for method, url, body in requests(world):
        assert (await _call(client, method, url, body)).status_code == 401, url


async def test_an_active_publisher_acts_for_its_author(client, auth, world):
    world["people"]["publisher_active"].sign_in(auth)
    book = str(world["book"].id)
    listed = await client.get(f"{P}/book")
    assert {row["slug"] for row in listed.json()["data"]} == {"milik-pemilik", "diajukan"}
    assert (await client.get(f"{P}/book/{book}")).status_code == 200
    assert (await client.get(f"{P}/chapter/list?id_book={book}")).json()["pagination"]["total"] == 2
    created = await client.post(f"{P}/chapter/create", json={"id_book": book, "name": "Bab Baru"})
    assert created.status_code == 201, created.text
    assert (await client.post(f"{P}/book/submit", json={"id": book})).status_code == 200
