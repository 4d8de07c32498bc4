"""Rankings, the reader's library and saving reading progress, through HTTP."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from esensi.models.entitlement import CustomerReader
from esensi.models.sales import TSales, TSalesLine
from factories import make_author, make_book, make_genre, make_user, tag_book
from factories.chapter_site import (
    entitle,
    make_chapter,
    make_reader,
    make_review,
    sell_book,
    sign_in_reader,
)
from rlib.testing.statements import count_statements


async def _sold(db, customer_id, product, qty, *, days_ago=0):
    paid = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    order = TSales(id_customer=customer_id, status="paid", paid_at=paid)
    db.add(order)
    await db.flush()
    price = product.real_price
    db.add(
        TSalesLine(
            id_sales=order.id,
            id_product=product.id,
            unit_price=price,
            qty=qty,
            total_price=price * qty,
        )
    )
    await db.flush()


async def _ranked(database):
    """Book A sold 3 long ago and 1 now, rated 2; book B sold 2 now, rated 5; B is romansa."""
    async with database.sessionmaker() as db:
        author = await make_author(db)
        first, second = await make_book(db, author, name="A"), await make_book(db, author, name="B")
        romansa = await make_genre(db, "romansa")
        await tag_book(db, second, romansa)
        products = [await sell_book(db, first), await sell_book(db, second)]
        _, customer = await make_reader(db)
        await _sold(db, customer, products[0], 3, days_ago=40)
        await _sold(db, customer, products[0], 1)
        await _sold(db, customer, products[1], 2)
        await make_review(db, first, await make_user(db), rating=2)
        await make_review(db, second, await make_user(db), rating=5)
        await db.commit()
    return first, second


async def _names(client, url):
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return [(book["name"], book["score"]) for book in response.json()["data"]]


async def test_rankings_order_by_the_metric_in_the_window(client, database):
    await _ranked(database)
    assert await _names(client, "/chapter/rankings/sales/all/all") == [("A", 4.0), ("B", 2.0)]
    assert await _names(client, "/chapter/rankings/sales/all/30d") == [("B", 2.0), ("A", 1.0)]
    assert await _names(client, "/chapter/rankings/rating/all/7d") == [("B", 5.0), ("A", 2.0)]
    assert await _names(client, "/chapter/rankings/sales/romansa/all") == [("B", 2.0)]
    assert await _names(client, "/chapter/rankings/reads/all/all") == []


async def test_rankings_are_one_aggregate_query(client, database):
    await _ranked(database)
    async with count_statements(database) as log:
        await client.get("/chapter/rankings/sales/all/7d")
    assert log.count == 1, log.statements
    async with count_statements(database) as log:
        await client.get("/chapter/rankings/reads/romansa/7d")
    assert log.count == 2, log.statements  # the genre tree, the aggregate


async def test_rankings_refuse_unknown_metrics_windows_and_genres(client, database):
    for url in ("likes/all/all", "sales/all/1y"):
        assert (await client.get(f"/chapter/rankings/{url}")).status_code == 422, url
    missing = await client.get("/chapter/rankings/sales/tidak-ada/all")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Genre tidak ditemukan"


async def _owned_serial(database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        book = await make_book(db, author, name="Milik")
        product = await sell_book(db, book)
        chapters = [await make_chapter(db, book, n, is_free=n == 1) for n in (1, 2, 3)]
        other = await make_book(db, author, name="Lain")
        await sell_book(db, other)
        other_paid = await make_chapter(db, other, 1)
        reader, customer = await make_reader(db)
        await entitle(db, customer, product)
        await db.commit()
    return book, chapters, other_paid, reader, customer


async def test_library_lists_owned_books_with_progress(client, database, auth):
    book, chapters, _, reader, customer = await _owned_serial(database)
    sign_in_reader(auth, reader, customer)
    async with count_statements(database) as log:
        body = (await client.get("/chapter/library")).json()
    assert log.count == 2, log.statements
    assert [item["id"] for item in body["data"]] == [str(book.id)]
    assert body["data"][0]["chapter_number"] is None
    saved = await client.post(
        "/chapter/api/chapter/progress", json={"id_chapter": str(chapters[1].id), "percent": 40}
    )
    assert saved.json()["data"] == {
        "id_book": str(book.id),
        "id_chapter": str(chapters[1].id),
        "number": 2,
        "percent": 40.0,
    }
    item = (await client.get("/chapter/library")).json()["data"][0]
    assert (item["chapter_number"], item["chapter_name"], item["percent"]) == (2, "Bab 2", 40.0)


async def test_progress_is_one_row_per_book_and_keeps_percent_when_omitted(client, database, auth):
    _, chapters, _, reader, customer = await _owned_serial(database)
    sign_in_reader(auth, reader, customer)
    url = "/chapter/api/chapter/progress"
    await client.post(url, json={"id_chapter": str(chapters[0].id), "percent": 10})
    moved = await client.post(url, json={"id_chapter": str(chapters[2].id)})
    assert (moved.json()["data"]["number"], moved.json()["data"]["percent"]) == (3, 10.0)
    async with database.sessionmaker() as db:
        rows = (await db.scalars(select(CustomerReader))).all()
    assert [(row.id_chapter, row.percent) for row in rows] == [(chapters[2].id, Decimal(10))]


async def test_progress_on_a_chapter_the_reader_may_not_read_is_404(client, database, auth):
    _, _, other_paid, reader, customer = await _owned_serial(database)
    sign_in_reader(auth, reader, customer)
    url = "/chapter/api/chapter/progress"
    response = await client.post(url, json={"id_chapter": str(other_paid.id)})
    assert response.status_code == 404
    assert response.json()["message"] == "Bab tidak ditemukan"
    for bad in ({"id_chapter": "x"}, {"id_chapter": str(other_paid.id), "percent": 101}):
        assert (await client.post(url, json=bad)).status_code == 422


async def test_library_and_progress_need_a_customer(client, database, auth):
    assert (await client.get("/chapter/library")).status_code == 401
    assert (await client.post("/chapter/api/chapter/progress", json={})).status_code == 401
