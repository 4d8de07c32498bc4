"""The customer's cart through HTTP: view, add, update, remove, on both databases."""

import asyncio
import datetime as dt
import os
import uuid
from decimal import Decimal

import pytest
from cart_helpers import add, open_shop
from sqlalchemy import func, select

from esensi.models.product import Product
from esensi.models.sales import TSales, TSalesLine
from factories import make_author
from factories.catalogue import make_product
from factories.chapter_site import entitle
from factories.commerce import make_cart, make_promo
from rlib.testing.statements import count_statements


async def test_without_a_cart_the_cart_is_empty_in_one_statement(client, database, auth):
    await open_shop(database, auth)
    async with count_statements(database) as log:
        response = await client.get("/cart")
    assert log.count == 1, log.statements
    assert response.json()["data"] == {
        "id": None,
        "lines": [],
        "promo": None,
        "subtotal": "0.00",
        "discount_total": "0.00",
        "total": "0.00",
    }


async def test_the_cart_shows_todays_prices_in_a_fixed_number_of_statements(client, database, auth):
    shop = await open_shop(database, auth)
    async with database.sessionmaker() as db:
        author = await make_author(db)
        extra = [await make_product(db, author) for _ in range(5)]
        promo = await make_promo(db, code="HEMAT10")
        await make_cart(db, shop.customer.id, shop.novel, shop.bundle, *extra, promo=promo, qty=2)
        await make_cart(db, shop.other.id, shop.poems)
        (await db.get(Product, shop.novel.id)).real_price = Decimal(60000)  # repriced later
        await db.commit()
    async with count_statements(database) as log:
        response = await client.get("/cart")
    # cart, lines with items, bundle contents, ownership, promo code, the customer's uses
    assert log.count == 6, log.statements
    body = response.json()["data"]
    first, bundle = body["lines"][:2]
    assert (first["name"], first["slug"], first["cover"]) == (
        shop.novel.name,
        shop.novel.slug,
        "/n.webp",
    )
    assert (first["unit_price"], first["total_price"], first["discount_amount"]) == (
        "60000.00",
        "60000.00",
        "6000.00",
    )
    assert (bundle["qty"], bundle["total_price"]) == (2, "180000.00")
    assert body["subtotal"] == "490000.00"
    assert body["promo"] == {
        "code": "HEMAT10",
        "discount_type": "percentage",
        "discount_value": "10.00",
        "applies": True,
        "reason": None,
        "discount": "49000.00",
    }
    assert (body["discount_total"], body["total"]) == ("49000.00", "441000.00")


async def test_adding_creates_the_cart_and_a_held_product_is_not_added_twice(
    client, database, auth
):
    shop = await open_shop(database, auth)
    first = await add(client, shop.novel)
    assert first.status_code == 200, first.json()
    again = await add(client, shop.novel)
    assert again.json()["data"]["lines"] == first.json()["data"]["lines"]
    bundle = await add(client, shop.bundle, 2)
    more = await add(client, shop.bundle, 3)
    assert bundle.status_code == more.status_code == 200
    lines = more.json()["data"]["lines"]
    assert [(line["id_bundle"], line["qty"]) for line in lines] == [
        (None, 1),
        (str(shop.bundle.id), 5),
    ]
    assert more.json()["data"]["total"] == "500000.00"
    async with database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(TSales)) == 1


@pytest.mark.parametrize("change", [{"status": "draft"}, {"status": "paused"}, {"deleted": True}])
@pytest.mark.parametrize("kind", ["novel", "bundle"])
async def test_an_item_not_for_sale_is_422(client, database, auth, change, kind):
    shop = await open_shop(database, auth)
    item = getattr(shop, kind)
    async with database.sessionmaker() as db:
        row = await db.get(type(item), item.id)
        if change.get("deleted"):
            row.deleted_at = dt.datetime.now(dt.UTC)
        else:
            row.status = change["status"]
        await db.commit()
    response = await add(client, item)
    assert response.status_code == 422, response.json()
    assert response.json()["code"] == "item_not_for_sale"


async def test_an_unknown_item_is_422(client, database, auth):
    await open_shop(database, auth)
    response = await client.post("/api/cart/add", json={"id_bundle": str(uuid.uuid4())})
    assert response.status_code == 422
    assert response.json()["message"] == "Produk ini sedang tidak dijual"


async def test_an_owned_book_and_a_bundle_of_owned_books_are_409(client, database, auth):
    shop = await open_shop(database, auth)
    async with database.sessionmaker() as db:
        await entitle(db, shop.customer.id, shop.novel)
        await db.commit()
    owned = await add(client, shop.novel)
    assert owned.status_code == 409
    assert owned.json()["message"] == "Buku sudah ada di perpustakaan Anda"
    partly = await add(client, shop.bundle)
    assert partly.status_code == 200  # the poems are not owned yet
    async with database.sessionmaker() as db:
        await entitle(db, shop.customer.id, shop.poems)
        await db.commit()
    assert (await add(client, shop.bundle)).status_code == 409
    shown = (await client.get("/cart")).json()["data"]
    assert [(line["available"], line["owned"]) for line in shown["lines"]] == [(False, True)]
    assert shown["total"] == "0.00"


async def test_a_cart_holds_at_most_fifty_lines(client, database, auth):
    shop = await open_shop(database, auth)
    async with database.sessionmaker() as db:
        author = await make_author(db)
        products = [await make_product(db, author) for _ in range(51)]
        await make_cart(db, shop.customer.id, *products[:50])
        await db.commit()
    response = await add(client, products[50])
    assert response.status_code == 422
    assert response.json()["code"] == "cart_full"
    assert (await add(client, products[0])).status_code == 200  # held: nothing added


async def test_a_book_is_bought_once_and_a_bundle_up_to_ten(client, database, auth):
    shop = await open_shop(database, auth)
    assert (await add(client, shop.novel, 2)).status_code == 422
    line = (await add(client, shop.bundle, 9)).json()["data"]["lines"][0]
    assert (await add(client, shop.bundle, 2)).status_code == 422
    updated = await client.post("/api/cart/update", json={"id_line": line["id"], "qty": 10})
    assert updated.json()["data"]["lines"][0]["qty"] == 10
    book = (await add(client, shop.novel)).json()["data"]["lines"][1]
    refused = await client.post("/api/cart/update", json={"id_line": book["id"], "qty": 2})
    assert refused.status_code == 422
    assert refused.json()["message"] == "Buku hanya dapat dibeli satu kali"


async def test_update_and_remove_of_a_line_not_in_the_callers_cart_are_404(client, database, auth):
    shop = await open_shop(database, auth)
    async with database.sessionmaker() as db:
        theirs = await make_cart(db, shop.other.id, shop.bundle)
        their_line = await db.scalar(select(TSalesLine.id).where(TSalesLine.id_sales == theirs.id))
        await db.commit()
    body = {"id_line": str(their_line), "qty": 2}
    assert (await client.post("/api/cart/update", json=body)).status_code == 404
    mine = (await add(client, shop.novel)).json()["data"]["lines"][0]["id"]
    response = await client.post("/api/cart/update", json=body)
    assert response.status_code == 404
    assert response.json()["message"] == "Item keranjang tidak ditemukan"
    mixed = await client.post("/api/cart/remove", json={"ids": [mine, str(their_line)]})
    assert mixed.status_code == 404
    async with database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(TSalesLine)) == 2


async def test_remove_takes_out_the_named_lines(client, database, auth):
    shop = await open_shop(database, auth)
    await add(client, shop.novel)
    lines = (await add(client, shop.poems)).json()["data"]["lines"]
    response = await client.post("/api/cart/remove", json={"ids": [lines[0]["id"]]})
    assert response.status_code == 200
    assert [line["id"] for line in response.json()["data"]["lines"]] == [lines[1]["id"]]
    assert response.json()["data"]["total"] == "30000.00"


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("ESENSI_TEST_DATABASE_URL"), reason="needs ESENSI_TEST_DATABASE_URL"
)
@pytest.mark.parametrize("backend", ["postgresql"])
async def test_parallel_first_adds_make_one_cart(client, database, auth):
    shop = await open_shop(database, auth)
    answers = await asyncio.gather(*(add(client, shop.bundle) for _ in range(6)))
    assert {response.status_code for response in answers} == {200}
    async with database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(TSales)) == 1
        assert await db.scalar(select(TSalesLine.qty)) == 6


@pytest.mark.parametrize("held", [2, 20])
async def test_an_add_costs_the_same_whatever_the_cart_holds(client, database, auth, held):
    shop = await open_shop(database, auth)
    async with database.sessionmaker() as db:
        author = await make_author(db)
        products = [await make_product(db, author) for _ in range(held)]
        await make_cart(db, shop.customer.id, *products)
        await db.commit()
    async with count_statements(database) as log:
        response = await add(client, shop.bundle)
    assert response.status_code == 200
    # item, bundle contents, ownership, cart lock, held line, line count, insert; then the view
    # (cart, lines, bundle contents, ownership)
    assert log.count == 11, log.statements
