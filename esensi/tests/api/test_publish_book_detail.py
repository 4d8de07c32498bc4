"""book_detail: approvals, the last 20 changes, the product and the chapter list without content,
in a fixed number of statements; the book list's genre filter."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from esensi.models.book import BookApproval, BookChangesLog
from esensi.models.product import Product
from factories import make_genre, tag_book
from factories.writing import make_chapter, make_own_book, make_writer
from rlib.testing.statements import count_statements

BASE = "/api/publish/book"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


async def _detailed_book(db, writer, chapters: int):
    book = await make_own_book(db, writer, status="draft")
    product = Product(
        name=book.name, slug=book.slug, id_author=book.id_author, real_price=Decimal(50000)
    )
    db.add(product)
    await db.flush()
    book.id_product = product.id
    for number in reversed(range(1, chapters + 1)):  # stored out of order on purpose
        await make_chapter(db, book, number)
    db.add_all(
        [
            BookApproval(id_book=book.id, status="submitted", created_at=START),
            BookApproval(
                id_book=book.id,
                status="rejected",
                comment="Sampul buram",
                created_at=START + dt.timedelta(days=1),
            ),
        ]
    )
    db.add_all(
        BookChangesLog(
            id_book=book.id,
            changes={"old": {"name": f"v{step}"}, "new": {"name": f"v{step + 1}"}},
            created_at=START + dt.timedelta(hours=step),
        )
        for step in range(25)
    )
    await db.flush()
    return book, product


@pytest.fixture
async def world(database):
    async with database.sessionmaker() as db:
        writer = await make_writer(db)
        small, product = await _detailed_book(db, writer, chapters=3)
        large, _ = await _detailed_book(db, writer, chapters=30)
        await db.commit()
    return writer, small, large, product


async def test_detail_has_approvals_recent_changes_product_and_chapters(client, auth, world):
    writer, book, _, product = world
    writer.sign_in(auth)
    for response in (
        await client.get(f"{BASE}/{book.id}"),
        await client.post(f"{BASE}/detail", json={"id": str(book.id)}),
    ):
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        assert [c["number"] for c in data["chapters"]] == [1, 2, 3]
        assert all("content" not in chapter for chapter in data["chapters"])
        assert [a["status"] for a in data["approvals"]] == ["submitted", "rejected"]
        assert data["approvals"][1]["comment"] == "Sampul buram"
        assert all("id_internal" not in approval for approval in data["approvals"])
        assert len(data["changes"]) == 20
        assert data["changes"][0]["changes"]["new"] == {"name": "v25"}  # newest first
        assert data["changes"][-1]["changes"]["new"] == {"name": "v6"}
        assert data["product"]["id"] == str(product.id)
        assert data["author"]["name"] == "Tere Liye"


async def test_detail_costs_the_same_statements_for_3_or_30_chapters(client, auth, world, database):
    writer, small, large, _ = world
    writer.sign_in(auth)
    counts = []
    for book in (small, large):
        async with count_statements(database) as log:
            response = await client.get(f"{BASE}/{book.id}")
        assert response.status_code == 200
        counts.append(log.count)
    assert counts[0] == counts[1]
    assert counts[0] <= 10, counts


async def test_the_list_filters_by_genre_and_never_shows_another_authors_book(
    client, auth, database
):
    async with database.sessionmaker() as db:
        writer = await make_writer(db, "Andrea Hirata")
        other = await make_writer(db, "Dee Lestari")
        romance, horror = await make_genre(db, "romansa"), await make_genre(db, "horor")
        books = {
            "romance": await make_own_book(db, writer, slug="cinta", name="Cinta"),
            "both": await make_own_book(db, writer, slug="cinta-seram", name="Cinta Seram"),
            "plain": await make_own_book(db, writer, slug="biasa", name="Biasa"),
            "foreign": await make_own_book(db, other, slug="asing", name="Asing"),
        }
        await tag_book(db, books["romance"], romance)
        await tag_book(db, books["both"], romance)
        await tag_book(db, books["both"], horror)
        await tag_book(db, books["foreign"], romance)
        await db.commit()
    writer.sign_in(auth)

    async def slugs(**params):
        response = await client.get(BASE, params={"order_by": "name", **params})
        assert response.status_code == 200, response.text
        return [row["slug"] for row in response.json()["data"]]

    assert await slugs(**{"genres.slug": "romansa"}) == ["cinta", "cinta-seram"]
    assert await slugs(**{"genres.slug": "horor"}) == ["cinta-seram"]
    assert await slugs(**{"genres.id": str(horror.id)}) == ["cinta-seram"]
    assert await slugs(**{"genres.slug__in": "horor,romansa"}) == ["cinta", "cinta-seram"]
    body = await client.post(
        f"{BASE}/list", json={"filters": {"genres.slug": "romansa"}, "order_by": "name"}
    )
    assert [row["slug"] for row in body.json()["data"]] == ["cinta", "cinta-seram"]
    assert body.json()["pagination"]["total"] == 2
    bad = await client.get(BASE, params={"genres.name": "x"})
    assert bad.status_code == 422
    assert (await client.get(BASE, params={"genres.id": "bukan-uuid"})).status_code == 422
    assert (await client.get(BASE, params={"genres.slug": "a\x00b"})).status_code == 422
    assert await slugs(**{"genres.id": str(uuid.uuid4())}) == []
