"""dashboard_stats: own counts and paid sales in SQL, equal to a computation in Python.

Seeded orders inside and outside the period, paid and pending, of the caller's and of another
author's products: only the caller's paid lines count, dated by the order's payment; a publisher
sees its active authors' figures only; five statements whatever the data size.
"""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from esensi.services.portal_dashboard import month_starts
from factories import login_as, login_staff, make_author, make_book
from factories.publishers import link, make_bundle, make_order, make_product, make_publisher
from rlib.testing.statements import count_statements

URL = "/api/publish/dashboard/stats"
END = dt.datetime(2026, 6, 15, tzinfo=dt.UTC)
PERIOD = {"start": "2026-05-16T00:00:00Z", "end": "2026-06-15T00:00:00Z"}


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, 9, tzinfo=dt.UTC)


@pytest.fixture
async def shop(database):
    """Author A's catalogue and orders; author X's too; a publisher actively linked to A."""
    async with database.sessionmaker() as db:
        a, x = await make_author(db, name="A"), await make_author(db, name="X")
        await make_book(db, a, status="published")
        await make_book(db, a, status="draft")
        await make_book(db, x, status="published")
        one = await make_product(db, a, name="Satu", real_price=Decimal("50000"))
        two = await make_product(db, a, name="Dua", real_price=Decimal("30000"))
        pack = await make_bundle(db, a, name="Paket A", real_price=Decimal("70000"))
        foreign = await make_product(db, x, name="Asing", real_price=Decimal("99000"))
        zero = Decimal(0)
        await make_order(db, [(one, 1, zero), (foreign, 1, zero)], paid_at=at(6, 10))
        await make_order(db, [(pack, 1, zero), (two, 2, Decimal("5000.50"))], paid_at=at(5, 20))
        await make_order(db, [(one, 1, zero)], paid_at=at(4, 1))  # before the period
        await make_order(db, [(one, 3, zero)], status="pending", paid_at=None)
        await make_order(db, [(foreign, 2, zero)], paid_at=at(6, 1))
        active = await make_publisher(db, name="Aktif")
        await link(db, active, a, "active")
        await link(db, active, x, "invited")
        await db.commit()
    return {"a": a, "x": x, "publisher": active}


async def _stats(client, params=PERIOD) -> dict:
    response = await client.get(URL, params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


def expected_a() -> dict:
    period_lines = [  # (name, qty, revenue) of A's paid lines inside the period
        ("Satu", 1, Decimal("50000")),
        ("Paket A", 1, Decimal("70000")),
        ("Dua", 2, Decimal("60000") - Decimal("5000.50")),
    ]
    return {
        "orders": 2,
        "items": sum(qty for _, qty, _ in period_lines),
        "revenue": sum(revenue for _, _, revenue in period_lines),
    }


async def test_the_authors_figures_equal_a_python_computation(client, auth, shop):
    login_as(auth, uuid.uuid4(), author=shop["a"].id)
    data = await _stats(client)
    assert data["counts"] == {
        "books": 2,
        "books_published": 1,
        "products": 2,
        "bundles": 1,
        "chapters": 0,
    }
    want = expected_a()
    sales = data["sales"]
    assert (sales["orders"], sales["items"]) == (want["orders"], want["items"])
    assert Decimal(str(sales["revenue"])) == want["revenue"]
    recent = [(row["item_name"], row["qty"]) for row in data["recent_sales"]]
    assert recent == [("Satu", 1), ("Dua", 2), ("Paket A", 1), ("Satu", 1)] or recent == [
        ("Satu", 1),
        ("Paket A", 1),
        ("Dua", 2),
        ("Satu", 1),
    ]
    assert [row["name"] for row in data["top_books"]] == ["Dua", "Satu"]
    months = {row["month"]: row for row in data["monthly"]}
    assert len(data["monthly"]) == 12
    assert (months["2026-06"]["orders"], months["2026-05"]["orders"]) == (1, 1)
    assert months["2026-04"]["orders"] == 1
    assert Decimal(str(months["2026-04"]["revenue"])) == Decimal(50000)
    assert months["2026-03"]["orders"] == 0


async def test_a_publisher_sees_its_active_authors_figures_only(client, auth, shop):
    login_as(auth, uuid.uuid4(), publisher=shop["publisher"].id)
    data = await _stats(client)
    assert data["counts"]["books"] == 2
    assert data["sales"]["orders"] == expected_a()["orders"]
    assert all(row["item_name"] != "Asing" for row in data["recent_sales"])


async def test_a_publisher_without_active_authors_sees_zeros(client, auth, shop, database):
    async with database.sessionmaker() as db:
        invited = await make_publisher(db, name="Undangan")
        await link(db, invited, shop["a"], "invited")
        await db.commit()
    login_as(auth, uuid.uuid4(), publisher=invited.id)
    data = await _stats(client)
    assert set(data["counts"].values()) == {0}
    assert data["sales"]["orders"] == 0
    assert data["recent_sales"] == []
    assert data["top_books"] == []


@pytest.mark.parametrize("who", ["customer", "staff", "nobody"])
async def test_no_dashboard_for_other_callers(client, auth, shop, who):
    if who == "customer":
        login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    elif who == "staff":
        login_staff(auth, "management")
    response = await client.get(URL)
    assert response.status_code == (401 if who == "nobody" else 403)


async def test_five_statements_whatever_the_data_size(client, auth, shop, database):
    login_as(auth, uuid.uuid4(), publisher=shop["publisher"].id)
    async with count_statements(database) as small:
        await _stats(client)
    async with database.sessionmaker() as db:
        more = await make_product(db, shop["a"])
        for day in range(1, 13):
            await make_order(db, [(more, 1, Decimal(0))], paid_at=at(6, day))
        await db.commit()
    async with count_statements(database) as large:
        data = await _stats(client)
    assert data["sales"]["orders"] == expected_a()["orders"] + 12
    assert small.count == large.count == 5, large.statements


async def test_the_default_period_is_the_last_30_days(client, auth, shop):
    login_as(auth, uuid.uuid4(), author=shop["a"].id)
    data = (await client.post(URL, json={})).json()["data"]
    start = dt.datetime.fromisoformat(data["period"]["start"])
    end = dt.datetime.fromisoformat(data["period"]["end"])
    assert end - start == dt.timedelta(days=30)


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-06-15T00:00:00Z", "end": "2026-06-01T00:00:00Z"},
        {"start": "2024-01-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"},
        {"start": "2026-06-01T00:00:00"},
        {"start": "kemarin"},
        {"end": "99999-01-01T00:00:00Z"},
        {"author": str(uuid.uuid4())},
    ],
)
async def test_a_bad_period_is_422(client, auth, shop, params):
    login_as(auth, uuid.uuid4(), author=shop["a"].id)
    response = await client.get(URL, params=params, headers={"accept-language": "en"})
    assert response.status_code == 422, response.text
    assert response.json()["success"] is False


async def test_an_empty_or_reversed_period_names_the_rule(client, auth, shop):
    login_as(auth, uuid.uuid4(), author=shop["a"].id)
    response = await client.get(URL, params={"start": PERIOD["end"], "end": PERIOD["end"]})
    [error] = response.json()["errors"]
    assert error["field"] == "start"
    assert error["message"] == "Periode harus berakhir setelah dimulai dan paling lama 366 hari"


def test_month_starts_cross_the_year():
    starts = month_starts(dt.datetime(2026, 2, 3, tzinfo=dt.UTC), 3)
    assert [s.strftime("%Y-%m") for s in starts] == ["2025-12", "2026-01", "2026-02", "2026-03"]
    assert month_starts(END)[0] == dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
