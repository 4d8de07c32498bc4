"""dashboard_stats: SQL aggregates over paid orders, equal to a Python computation of the same
seeded data; the period's bounds hold; authors without sales are listed; constant statements."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from esensi.models.customer import Customer
from esensi.models.product import Product
from esensi.models.sales import TSales, TSalesLine
from factories import login_as, login_staff, make_author
from rlib.testing.statements import count_statements

URL = "/api/internal/dashboard/stats"
DAY = dt.datetime(2026, 3, 15, 12, tzinfo=dt.UTC)


async def _order(db, customer, lines, *, status="paid", paid_at=DAY):
    """An order of ``lines`` [(product, qty, discount)], totals consistent with the checks."""
    subtotal = sum((p.real_price * q for p, q, _ in lines), Decimal(0))
    discount = sum((d for _, _, d in lines), Decimal(0))
    order = TSales(
        id_customer=customer.id,
        status=status,
        subtotal=subtotal,
        discount_total=discount,
        total=subtotal - discount,
        paid_at=paid_at,
    )
    db.add(order)
    await db.flush()
    for product, qty, share in lines:
        db.add(
            TSalesLine(
                id_sales=order.id,
                id_product=product.id,
                unit_price=product.real_price,
                qty=qty,
                total_price=product.real_price * qty,
                discount_amount=share,
            )
        )
    await db.flush()
    return order


@pytest.fixture
async def shop(database):
    """Two selling authors and one without sales; paid orders in and out of March 2026,
    plus orders in other statuses that never count."""
    async with database.sessionmaker() as db:
        ayu = await make_author(db, name="Ayu Utami")
        budi = await make_author(db, name="Budi Darma")
        await make_author(db, name="Chairil Anwar")  # no sales at all
        novel = Product(name="Novel", slug="novel", id_author=ayu.id, real_price=Decimal(50000))
        puisi = Product(name="Puisi", slug="puisi", id_author=budi.id, real_price=Decimal(20000))
        db.add_all([novel, puisi])
        customer = Customer(name="Sari", email="sari@contoh.id")
        db.add(customer)
        await db.flush()
        march = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        await _order(db, customer, [(novel, 2, Decimal(10000)), (puisi, 1, Decimal(0))])
        await _order(db, customer, [(puisi, 3, Decimal(0))], paid_at=march)
        await _order(db, customer, [(novel, 1, Decimal(0))], paid_at=march - dt.timedelta(days=1))
        await _order(db, customer, [(novel, 5, Decimal(0))], status="pending", paid_at=None)
        await _order(db, customer, [(novel, 4, Decimal(0))], status="refunded")
        await db.commit()
    return ayu, budi


async def test_figures_equal_a_python_computation(client, auth, shop):
    login_staff(auth, "management")
    response = await client.get(URL, params={"start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    # In March: (2 x 50 000 - 10 000 + 20 000) and 3 x 20 000; the February order is outside.
    assert data["period"]["orders"] == 2
    assert Decimal(data["period"]["revenue"]) == Decimal(110000 + 60000)
    assert Decimal(data["period"]["discount"]) == Decimal(10000)
    top = [(a["name"], a["sold"], Decimal(a["revenue"])) for a in data["top_authors"]]
    assert top == [
        ("Ayu Utami", 2, Decimal(90000)),
        ("Budi Darma", 4, Decimal(80000)),
        ("Chairil Anwar", 0, Decimal(0)),
    ]
    books = [(b["slug"], b["sold"], Decimal(b["revenue"])) for b in data["top_books"]]
    assert books == [("novel", 2, Decimal(90000)), ("puisi", 4, Decimal(80000))]
    counts = data["counts"]
    assert (counts["authors"], counts["customers"], counts["orders_paid"]) == (3, 1, 3)
    assert [r["total"] for r in data["recent"]] == ["110000.00", "60000.00", "50000.00"]
    assert data["monthly"] == [
        {"month": "2026-02", "orders": 1, "revenue": "50000.00"},
        {"month": "2026-03", "orders": 2, "revenue": "170000.00"},
    ]


async def test_default_period_is_the_last_30_days(client, auth, shop):
    login_staff(auth, "sales_and_marketing")
    data = (await client.post(URL, json={})).json()["data"]
    assert data["period"]["orders"] == 0
    assert {a["name"] for a in data["top_authors"]} == {"Ayu Utami", "Budi Darma", "Chairil Anwar"}
    assert {a["revenue"] for a in data["top_authors"]} == {"0.00"}
    assert data["top_books"] == []


async def test_statement_count_does_not_grow_with_sales(client, auth, database, shop):
    login_staff(auth, "management")
    params = {"start": "2026-01-01", "end": "2026-12-31"}
    async with count_statements(database) as small:
        await client.get(URL, params=params)
    async with database.sessionmaker() as db:
        author = await make_author(db, name="Dee")
        customer = Customer(name="Tono", email="tono@contoh.id")
        db.add(customer)
        products = [
            Product(name=f"B{i}", slug=f"b-{i}", id_author=author.id, real_price=Decimal(1000))
            for i in range(30)
        ]
        db.add_all(products)
        await db.flush()
        for start in range(0, 30, 10):
            lines = [(p, 1, Decimal(0)) for p in products[start : start + 10]]
            await _order(db, customer, lines)
        await db.commit()
    async with count_statements(database) as large:
        data = (await client.get(URL, params=params)).json()["data"]
    assert data["period"]["orders"] == 6
    assert small.count == large.count == 6, large.statements


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-03-02", "end": "2026-03-01"},
        {"days": "0"},
        {"days": str(10**30)},
        {"months": "-1"},
        {"start": "kemarin"},
        {"end": "9999-12-31"},
        {"start": "2000-01-01", "end": "2999-12-31"},
        {"colour": "red"},
    ],
)
async def test_bad_periods_are_422(client, auth, params):
    login_staff(auth, "management")
    response = await client.get(URL, params=params, headers={"Accept-Language": "en"})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("roles", [("support",), ("it",)])
async def test_other_staff_are_403(client, auth, roles):
    login_staff(auth, *roles)
    assert (await client.get(URL)).status_code == 403


async def test_anonymous_is_401(client):
    assert (await client.get(URL)).status_code == 401


async def test_customer_is_403(client, auth):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await client.get(URL)).status_code == 403
