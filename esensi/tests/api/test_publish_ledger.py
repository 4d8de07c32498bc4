"""transactions and t_sales_line_list: the caller's own ledger (balance summed in SQL, type
filter, pages, last five requests) and own sold lines of paid orders without customer data."""

import uuid
from decimal import Decimal

import pytest
from finance_helpers import credit, make_owner, sign_in

from esensi.models.withdrawal import Withdrawal
from factories import login_as, make_author
from factories.publishers import link, make_bundle, make_order, make_product, make_publisher
from rlib.testing.statements import count_statements

LEDGER = "/api/publish/transactions"
LINES = "/api/publish/t-sales-line/list"


def _payout(person, n: int) -> Withdrawal:
    return Withdrawal(
        **person.owner,
        amount=Decimal(10_000 + n),
        bank_account_number="1234567890",
        bank_account_provider="BCA",
        bank_account_name="X",
        status="cancelled",
    )


@pytest.fixture
async def owners(database):
    async with database.sessionmaker() as db:
        publisher = await make_owner(db, "publisher")
        author = await make_owner(db, "author")
        other = await make_owner(db, "publisher")
        await credit(db, publisher, "100000.10", "20000.20", "30000.30")
        await credit(db, publisher, "-5000.05", kind="refund")
        await credit(db, publisher, "1250", kind="adjustment")
        await credit(db, author, "7000")
        await credit(db, other, "999999")
        for n in range(7):
            db.add(_payout(publisher, n))
        await db.commit()
    return {"publisher": publisher, "author": author, "other": other}


async def test_the_balance_is_the_sum_of_the_own_rows_only(client, auth, owners):
    sign_in(auth, owners["publisher"])
    data = (await client.get(LEDGER)).json()["data"]
    assert Decimal(data["balance"]) == Decimal("146250.55")
    assert data["total"] == 5
    assert len(data["withdrawals"]) == 5
    assert {row["type"] for row in data["items"]} == {"sale", "refund", "adjustment"}
    sign_in(auth, owners["author"])
    data = (await client.get(LEDGER)).json()["data"]
    assert (Decimal(data["balance"]), data["total"], data["withdrawals"]) == (
        Decimal(7000),
        1,
        [],
    )


async def test_type_filter_and_pages(client, auth, owners):
    sign_in(auth, owners["publisher"])
    data = (await client.post(LEDGER, json={"type": "sale", "limit": 2, "page": 2})).json()["data"]
    assert (data["total"], len(data["items"]), data["page"]) == (3, 1, 2)
    assert Decimal(data["balance"]) == Decimal("146250.55")  # the balance ignores the filter


async def test_an_author_linked_to_a_publisher_without_own_rows_has_balance_zero(
    client, auth, database, owners
):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        await db.commit()
    login_as(auth, uuid.uuid4(), author=author.id)
    data = (await client.get(LEDGER)).json()["data"]
    assert (Decimal(data["balance"]), data["items"]) == (Decimal(0), [])


@pytest.mark.parametrize(
    "params",
    [{"type": "gift"}, {"page": "0"}, {"limit": "1000"}, {"page": "99999999999"}, {"x": "1"}],
)
async def test_bad_queries_are_422(client, auth, owners, params):
    sign_in(auth, owners["publisher"])
    response = await client.get(LEDGER, params=params)
    assert response.status_code == 422, response.text


async def test_the_ledger_costs_four_statements_whatever_its_size(client, auth, database, owners):
    sign_in(auth, owners["publisher"])
    async with count_statements(database) as small:
        await client.get(LEDGER)
    async with database.sessionmaker() as db:
        await credit(db, owners["publisher"], *range(1000, 1040))
        await db.commit()
    async with count_statements(database) as large:
        data = (await client.get(LEDGER, params={"limit": 100})).json()["data"]
    assert data["total"] == 45
    assert small.count == large.count == 4, large.statements


async def test_other_callers_get_no_ledger(client, auth, owners):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await client.get(LEDGER)).status_code == 403
    auth.user = None
    assert (await client.get(LEDGER)).status_code == 401


@pytest.fixture
async def shop(database):
    async with database.sessionmaker() as db:
        mine, theirs = await make_author(db, name="Mine"), await make_author(db, name="Theirs")
        book = await make_product(db, mine, name="Buku Saya", real_price=Decimal(50000))
        pack = await make_bundle(db, mine, name="Paket Saya", real_price=Decimal(80000))
        foreign = await make_product(db, theirs, name="Asing")
        await make_order(db, [(book, 2, Decimal("1000.50")), (foreign, 1, Decimal(0))])
        await make_order(db, [(pack, 1, Decimal(0))])
        await make_order(db, [(book, 1, Decimal(0))], status="pending")
        await make_order(db, [(book, 1, Decimal(0))], status="refunded")
        publisher = await make_publisher(db)
        await link(db, publisher, mine, "active")
        await db.commit()
    return {"mine": mine, "book": book, "pack": pack, "foreign": foreign, "publisher": publisher}


async def test_sales_lines_are_own_paid_lines_without_customer_data(client, auth, shop):
    login_as(auth, uuid.uuid4(), author=shop["mine"].id)
    response = await client.get(LINES)
    assert response.status_code == 200, response.text
    items = response.json()["data"]
    assert sorted(row["item_name"] for row in items) == ["Buku Saya", "Paket Saya"]
    book = next(row for row in items if row["item_name"] == "Buku Saya")
    assert (book["qty"], Decimal(book["net"])) == (2, Decimal("98999.50"))
    assert not any("customer" in key or "email" in key for key in book)
    login_as(auth, uuid.uuid4(), publisher=shop["publisher"].id)
    seen = (await client.get(LINES)).json()["data"]
    assert sorted(row["id"] for row in seen) == sorted(row["id"] for row in items)


async def test_an_item_filter_scopes_and_another_owners_item_is_404(client, auth, shop):
    login_as(auth, uuid.uuid4(), author=shop["mine"].id)
    only = await client.get(LINES, params={"id_bundle": str(shop["pack"].id)})
    assert [row["item_name"] for row in only.json()["data"]] == ["Paket Saya"]
    for params in ({"id_product": str(shop["foreign"].id)}, {"id_product": str(uuid.uuid4())}):
        response = await client.get(LINES, params=params)
        assert response.status_code == 404, response.text


async def test_sales_lines_cost_two_statements_whatever_the_size(client, auth, database, shop):
    login_as(auth, uuid.uuid4(), author=shop["mine"].id)
    async with count_statements(database) as small:
        await client.get(LINES)
    async with database.sessionmaker() as db:
        for _ in range(10):
            await make_order(db, [(shop["book"], 1, Decimal(0))])
        await db.commit()
    async with count_statements(database) as large:
        response = await client.get(LINES, params={"limit": 50})
    assert response.json()["pagination"]["total"] == 12
    assert small.count == large.count == 2, large.statements


async def test_a_login_with_both_profiles_reads_the_publishers_ledger(client, auth, owners):
    both = owners["publisher"]
    login_as(auth, both.user_id, publisher=both.id, author=owners["author"].id)
    data = (await client.get(LEDGER)).json()["data"]
    assert Decimal(data["balance"]) == Decimal("146250.55")
