"""Promo codes in the back office through HTTP, on both databases: roles, any scope, audit,
deletion of a used code."""

import uuid

import pytest
from sqlalchemy import select
from staff_helpers import audit_rows, sign_in_staff

from esensi.models.sales import TSales
from factories.catalogue import make_customer, make_publisher
from factories.commerce import make_cart, make_promo

BASE = "/api/internal/promo-code"


def body(**changes):
    return {"code": "HEMAT10", "discount_type": "fixed", "discount_value": "5000", **changes}


@pytest.mark.parametrize("role", ["sales_and_marketing", "management"])
async def test_merchants_keep_codes_of_any_scope_each_write_audited(client, database, auth, role):
    async with database.sessionmaker() as db:
        publisher = await make_publisher(db)
        await db.commit()
    await sign_in_staff(database, auth, role)
    store = await client.post(f"{BASE}/create", json=body())
    assert store.status_code == 201, store.json()
    assert store.json()["data"]["id_publisher"] is None
    scoped = await client.post(
        f"{BASE}/create", json=body(code="PENERBIT", id_publisher=str(publisher.id))
    )
    assert scoped.json()["data"]["id_publisher"] == str(publisher.id)
    ident = store.json()["data"]["id"]
    changed = await client.post(
        f"{BASE}/update", json={"id": ident, "version": 1, "status": "inactive"}
    )
    assert changed.status_code == 200, changed.json()
    assert (await client.post(f"{BASE}/delete", json={"id": ident})).status_code == 200
    listed = (await client.get(BASE)).json()["data"]
    assert [row["code"] for row in listed] == ["PENERBIT"]
    trail = await audit_rows(database, "promo_code")
    assert [row.action for row in trail] == [
        f"promo_code.{action}" for action in ("create", "create", "update", "delete")
    ]


@pytest.mark.parametrize("role", ["support", "it", None])
async def test_other_staff_are_refused(client, database, auth, role):
    await sign_in_staff(database, auth, *([role] if role else []))
    assert (await client.get(BASE)).status_code == 403
    assert (await client.post(f"{BASE}/create", json=body())).status_code == 403


async def test_an_unknown_publisher_is_422(client, database, auth):
    await sign_in_staff(database, auth, "management")
    response = await client.post(f"{BASE}/create", json=body(id_publisher=str(uuid.uuid4())))
    assert response.status_code == 422, response.json()


async def test_a_code_used_by_an_order_cannot_be_deleted_but_carts_let_go(client, database, auth):
    async with database.sessionmaker() as db:
        used, carted = await make_promo(db, code="USED"), await make_promo(db, code="CARTED")
        customer = await make_customer(db)
        await make_cart(db, customer.id, promo=carted)
        order = TSales(id_customer=customer.id, status="paid", id_promo_code=used.id)
        db.add(order)
        await db.commit()
    await sign_in_staff(database, auth, "management")
    blocked = await client.post(f"{BASE}/delete", json={"id": str(used.id)})
    assert blocked.status_code == 409, blocked.json()
    assert (await client.post(f"{BASE}/delete", json={"id": str(carted.id)})).status_code == 200
    async with database.sessionmaker() as db:
        cart = await db.scalar(select(TSales).where(TSales.status == "cart"))
    assert (cart.id_promo_code, cart.promo_code) == (None, None)


async def test_used_count_is_server_owned(client, database, auth):
    await sign_in_staff(database, auth, "management")
    response = await client.post(f"{BASE}/create", json=body(used_count=3))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "used_count"
