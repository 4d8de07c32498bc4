"""order_list / order_get (support, management): orders only (a cart is 404 like an unknown id),
filters on status, customer and dates, the customer's name and email, the lines on get, never
the payment token; a fixed number of statements."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from finance_helpers import make_manager
from sqlalchemy import update

from esensi.models.sales import TSales
from factories import make_author
from factories.publishers import make_order, make_product
from rlib.testing.statements import count_statements

LIST = "/api/internal/order/list"
GET = "/api/internal/order/get"


@pytest.fixture
async def orders(auth, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        product = await make_product(db, author, name="Laut Bercerita")
        paid = await make_order(db, [(product, 1, Decimal(0))], paid_at=dt.datetime.now(dt.UTC))
        pending = await make_order(db, [(product, 2, Decimal(0))], status="pending")
        cart = await make_order(db, [(product, 1, Decimal(0))], status="cart")
        await db.execute(
            update(TSales).where(TSales.id == paid.id).values(snap_token="secret-token")
        )
        auth.user = await make_manager(db, is_support=True)
        await db.commit()
    return {"paid": paid, "pending": pending, "cart": cart, "product": product}


async def test_the_list_holds_orders_not_carts_with_the_customer(client, orders):
    response = await client.post(LIST, json={"include": ["customer"]})
    assert response.status_code == 200, response.text
    items = response.json()["data"]
    assert {row["id"] for row in items} == {str(orders["paid"].id), str(orders["pending"].id)}
    assert all(row["customer"]["email"].startswith("beli-") for row in items)
    assert "secret-token" not in response.text


async def test_filters_on_status_and_customer(client, orders):
    paid = await client.post(LIST, json={"filters": {"status": "paid"}})
    assert [row["id"] for row in paid.json()["data"]] == [str(orders["paid"].id)]
    mine = await client.post(
        LIST, json={"filters": {"id_customer": str(orders["pending"].id_customer)}}
    )
    assert [row["id"] for row in mine.json()["data"]] == [str(orders["pending"].id)]
    cart = await client.post(LIST, json={"filters": {"status": "cart"}})
    assert cart.json()["data"] == []


async def test_get_has_the_lines_and_a_cart_is_404(client, orders):
    response = await client.post(
        GET, json={"id": str(orders["paid"].id), "include": ["lines", "customer"]}
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert [line["id_product"] for line in data["lines"]] == [str(orders["product"].id)]
    assert "snap_token" not in data
    for ident in (orders["cart"].id, uuid.uuid4()):
        missing = await client.post(GET, json={"id": str(ident)})
        assert missing.status_code == 404, missing.text


async def test_the_list_costs_the_same_statements_for_2_or_12_orders(client, database, orders):
    async with count_statements(database) as small:
        await client.post(LIST, json={"include": ["customer"]})
    async with database.sessionmaker() as db:
        for _ in range(10):
            await make_order(db, [(orders["product"], 1, Decimal(0))])
        await db.commit()
    async with count_statements(database) as large:
        response = await client.post(LIST, json={"include": ["customer"], "limit": 50})
    assert len(response.json()["data"]) == 12
    assert small.count == large.count, large.statements


@pytest.mark.parametrize("role", ["it", "sales_and_marketing"])
async def test_other_staff_are_403(client, auth, database, orders, role):
    async with database.sessionmaker() as db:
        auth.user = await make_manager(db, **{f"is_{role}": True})
        await db.commit()
    assert (await client.post(LIST, json={})).status_code == 403
    assert (await client.post(GET, json={"id": str(orders["paid"].id)})).status_code == 403


async def test_management_reads_too(client, auth, database, orders):
    async with database.sessionmaker() as db:
        auth.user = await make_manager(db)
        await db.commit()
    assert (await client.post(LIST, json={})).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"filters": {"status": 5}},
        {"filters": {"created_at": "kemarin"}},
        {"limit": 100000},
        {"page": -1},
        {"filters": {"snap_token": "x"}},
    ],
)
async def test_bad_list_input_is_4xx(client, orders, body):
    response = await client.post(LIST, json=body)
    assert 400 <= response.status_code < 500, response.text
