"""<type>_search and <type>_stats: text, relation and login filters, counts, sums, SQL cost."""

import uuid
from decimal import Decimal

from people_helpers import a_login, insert, sign_in_staff

from esensi.models.author import Author
from esensi.models.book import Book
from esensi.models.customer import Customer
from esensi.models.ledger import Transaction
from esensi.models.sales import TSales
from rlib.testing.statements import count_statements

API = "/api/internal"


async def _authors(database):
    login = await a_login(database)
    busy = Author(name="Andrea Hirata", biography="Laskar Pelangi", id_user=login)
    idle = Author(name="Dee Lestari")
    await insert(database, busy, idle)
    await insert(
        database,
        Book(name="Laskar", slug="laskar", id_author=busy.id),
        Book(name="Edensor", slug="edensor", id_author=busy.id),
        Transaction(id_author=busy.id, type="adjustment", amount=Decimal("1500.00")),
    )
    return busy, idle


async def test_search_filters_by_text_relations_and_login(client, auth, database):
    await sign_in_staff(database, auth, "support")
    busy, idle = await _authors(database)

    async def ids(**body):
        response = await client.post(f"{API}/author/search", json=body)
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()["data"]]

    assert await ids(query="pelangi") == [str(busy.id)]
    assert await ids(has={"books": False}) == [str(idle.id)]
    assert await ids(has_account=True) == [str(busy.id)]
    assert await ids(sort_by="books", sort_order="asc") == [str(idle.id), str(busy.id)]
    first = (await client.post(f"{API}/author/search", json={"sort_by": "books"})).json()
    assert first["data"][0]["counts"]["books"] == 2
    assert "bank_account_number" not in first["data"][0]


async def test_search_refuses_unknown_relations_and_sort_keys(client, auth, database):
    await sign_in_staff(database, auth, "support")
    for body in ({"has": {"password": True}}, {"sort_by": "bank_account_number"}, {"x": 1}):
        response = await client.post(f"{API}/author/search", json=body)
        assert response.status_code == 422, body
    english = await client.post(
        f"{API}/author/search", json={"sort_by": "nope"}, headers={"Accept-Language": "en"}
    )
    assert "Must be one of" in english.text


async def test_stats_of_one_profile_and_of_the_type(client, auth, database):
    await sign_in_staff(database, auth, "management")
    busy, _ = await _authors(database)
    one = (await client.post(f"{API}/author/stats", json={"id": str(busy.id)})).json()["data"]
    assert one["counts"]["books"] == 2
    assert Decimal(one["sums"]["balance"]) == Decimal("1500")
    async with count_statements(database) as log:
        whole = (await client.get(f"{API}/author/stats")).json()["data"]
    assert log.count == 1, log.statements
    assert (whole["total"], whole["with_login"], whole["new_last_30_days"]) == (2, 1, 2)
    assert whole["with_relation"]["books"] == 1
    missing = await client.post(f"{API}/author/stats", json={"id": str(uuid.uuid4())})
    assert missing.status_code == 404


async def test_customer_stats_sum_paid_orders_and_skip_deleted(client, auth, database):
    await sign_in_staff(database, auth, "support")
    buyer = Customer(name="Pembeli", email="beli@contoh.id")
    await insert(database, buyer)
    await insert(
        database,
        TSales(id_customer=buyer.id, status="paid", subtotal=Decimal(50000), total=Decimal(50000)),
        TSales(id_customer=buyer.id, status="cart", subtotal=Decimal(10), total=Decimal(10)),
    )
    one = (await client.post(f"{API}/customer/stats", json={"id": str(buyer.id)})).json()["data"]
    assert one["counts"]["orders"] == 1
    assert Decimal(one["sums"]["paid"]) == Decimal("50000")
    await client.post(f"{API}/customer/delete", json={"id": str(buyer.id)})
    assert (await client.get(f"{API}/customer/stats")).json()["data"]["total"] == 0
    gone = await client.post(f"{API}/customer/stats", json={"id": str(buyer.id)})
    assert gone.status_code == 404
    assert (await client.post(f"{API}/customer/search", json={})).json()["data"] == []
