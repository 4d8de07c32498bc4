"""The store's library, the reader page and saving progress through HTTP on both databases:
owned and not revoked only, the same 404 for another customer's book, bad input 422."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from commerce_helpers import files_client, grant, make_shop, put_book_file, sign_in
from sqlalchemy import select

from esensi.models.entitlement import CustomerReader
from factories import login_as, make_book
from factories.chapter_site import make_chapter
from rlib.testing.statements import count_statements


@pytest.fixture
async def http(database, auth, tmp_path) -> AsyncIterator:
    async with files_client(database, auth, tmp_path) as client:
        yield client


async def _library(database, tmp_path=None):
    """Mine: products 0 (file, progress) and 1 granted, 2 refunded; the other owns 1."""
    async with database.sessionmaker() as db:
        shop = await make_shop(db)
        p0, p1, p2 = shop.products
        if tmp_path is not None:
            p0.product_file = [put_book_file(tmp_path)]
        await grant(db, shop.me, p0, days_ago=2)
        await grant(db, shop.me, p1)
        await grant(db, shop.me, p2, revoked=True)
        await grant(db, shop.other, p1)
        db.add(
            CustomerReader(
                id_customer=shop.me.id, id_product=p0.id, last_page=12, percent=Decimal(30)
            )
        )
        await db.commit()
    return shop


async def test_library_lists_live_entitlements_with_progress_in_two_statements(
    http, database, auth
):
    shop = await _library(database)
    sign_in(auth, shop.me)
    async with count_statements(database) as log:
        body = (await http.get("/library/1")).json()
    assert log.count == 2, log.statements
    assert [item["slug"] for item in body["data"]] == ["buku-1", "buku-0"]
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}
    progress = [(i["progress"]["last_page"], i["progress"]["percent"]) for i in body["data"]]
    assert progress == [(0, 0.0), (12, 30.0)]
    assert (await http.get("/library")).json()["data"] == body["data"]
    for url in ("/library/0", "/library/100001"):
        assert (await http.get(url)).status_code == 422, url


async def test_read_gives_metadata_progress_and_a_download_url(http, database, auth, tmp_path):
    shop = await _library(database, tmp_path)
    sign_in(auth, shop.me)
    async with count_statements(database) as log:
        response = await http.get("/read/buku-0")
    assert log.count == 2, log.statements  # the owned product with progress, the new key
    body = response.json()["data"]
    assert response.headers["cache-control"] == "no-store"
    assert (body["name"], body["progress"]["percent"]) == ("Buku 0", 30.0)
    assert body["download_url"].startswith("/api/library/download/")
    without_file = (await http.get("/read/buku-1")).json()["data"]
    assert without_file["download_url"] is None


async def test_read_is_the_same_404_unless_entitled(http, database, auth):
    shop = await _library(database)
    sign_in(auth, shop.other)
    missing = await http.get("/read/tidak-ada")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Produk tidak ditemukan"
    sign_in(auth, shop.me)
    for slug in ("buku-2", "tidak-ada"):  # refunded (revoked), unknown
        response = await http.get(f"/read/{slug}")
        assert (response.status_code, response.json()) == (404, missing.json()), slug
    sign_in(auth, shop.other)  # owns buku-1 only
    response = await http.get("/read/buku-0")
    assert (response.status_code, response.json()) == (404, missing.json())


async def test_progress_is_saved_once_per_book(http, database, auth):
    shop = await _library(database)
    async with database.sessionmaker() as db:
        book = await make_book(db, shop.author, id_product=shop.products[1].id)
        chapter = await make_chapter(db, book, 1)
        await db.commit()
    sign_in(auth, shop.me)
    url = "/api/library/progress"
    product = str(shop.products[1].id)
    first = await http.post(url, json={"id_product": product, "last_page": 5, "percent": 10})
    assert first.json()["data"]["last_page"] == 5
    again = {
        "id_product": product,
        "last_page": 9,
        "percent": 33.333,
        "id_chapter": str(chapter.id),
    }
    saved = (await http.post(url, json=again)).json()["data"]
    assert (saved["last_page"], saved["percent"], saved["id_chapter"]) == (
        9,
        33.33,
        str(chapter.id),
    )
    async with database.sessionmaker() as db:
        rows = (
            await db.scalars(
                select(CustomerReader).where(CustomerReader.id_product == shop.products[1].id)
            )
        ).all()
    assert [(row.id_customer, row.last_page) for row in rows] == [(shop.me.id, 9)]


async def test_progress_only_on_an_owned_book_and_its_own_chapters(http, database, auth):
    shop = await _library(database)
    async with database.sessionmaker() as db:
        other_book = await make_book(db, shop.author, id_product=shop.products[0].id)
        foreign = await make_chapter(db, other_book, 1)
        await db.commit()
    sign_in(auth, shop.me)
    url = "/api/library/progress"
    body = {"last_page": 1, "percent": 1}
    missing = await http.post(url, json={**body, "id_product": str(uuid.uuid4())})
    assert missing.status_code == 404
    revoked = {**body, "id_product": str(shop.products[2].id)}
    response = await http.post(url, json=revoked)
    assert (response.status_code, response.json()) == (404, missing.json())
    wrong_book = {**body, "id_product": str(shop.products[1].id), "id_chapter": str(foreign.id)}
    refused = await http.post(url, json=wrong_book)
    assert refused.status_code == 422
    error = refused.json()["errors"][0]
    assert (error["field"], error["message"]) == (
        "id_chapter",
        "Bab ini bukan bagian dari buku tersebut",
    )


@pytest.mark.parametrize(
    "change",
    [
        {"percent": 100.01},
        {"percent": -1},
        {"percent": "x"},
        {"percent": None},
        {"last_page": -1},
        {"last_page": 2**31},
        {"last_page": 10**30},
        {"last_page": [1]},
        {"id_product": "abc\x00"},
        {"id_chapter": 12},
    ],
)
async def test_progress_refuses_bad_values(http, auth, change):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    body = {"id_product": str(uuid.uuid4()), "last_page": 1, "percent": 50, **change}
    response = await http.post("/api/library/progress", json=body)
    assert response.status_code == 422, response.text


async def test_library_endpoints_need_a_customer(http, auth):
    for method, url in (
        ("GET", "/library/1"),
        ("GET", "/read/x"),
        ("POST", "/api/library/progress"),
    ):
        assert (await http.request(method, url)).status_code == 401, url
    login_as(auth, uuid.uuid4(), author=uuid.uuid4())
    assert (await http.get("/library/1")).status_code == 403
