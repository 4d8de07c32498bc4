"""The contents and figures of an own bundle through HTTP: products, categories, stats."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from esensi.models.bundle import Bundle, BundleCategory, BundleProduct
from factories import login_as, make_author
from factories.catalogue import (
    make_bundle,
    make_category,
    make_customer,
    make_order,
    make_product,
)
from rlib.testing.statements import count_statements

URL = "/api/publish/bundle"


@pytest.fixture
async def kit(database):
    async with database.sessionmaker() as db:
        mine, other = await make_author(db), await make_author(db)
        books = [await make_product(db, mine, name=f"Buku {n:03}") for n in range(60)]
        foreign = await make_product(db, other)
        cats = [await make_category(db, name=f"Kat {n}") for n in range(3)]
        bundle = await make_bundle(db, mine, books[:2], cats[0], name="Isi")
        await db.commit()
    login = {"author": mine.id}
    return {
        "mine": mine,
        "books": books,
        "foreign": foreign,
        "cats": cats,
        "bundle": bundle,
        "login": login,
    }


async def _items(database, bundle_id) -> dict:
    async with database.sessionmaker() as db:
        rows = await db.execute(
            select(BundleProduct.id_product, BundleProduct.qty).where(
                BundleProduct.id_bundle == bundle_id
            )
        )
        return dict(rows.all())


async def _manage(client, kit, action, products, qty=1):
    items = [{"id_product": str(p.id), "qty": qty} for p in products]
    return await client.post(
        f"{URL}/product/manage",
        json={"id": str(kit["bundle"].id), "action": action, "items": items},
    )


async def test_add_update_remove_replace_products(client, auth, kit, database):
    login_as(auth, uuid.uuid4(), **kit["login"])
    books, ident = kit["books"], kit["bundle"].id
    added = await _manage(client, kit, "add", books[2:4])
    assert added.status_code == 200, added.text
    assert len(added.json()["data"]["products"]) == 4
    assert added.json()["data"]["version"] == 2
    await _manage(client, kit, "update", books[:2], qty=5)
    assert await _items(database, ident) == {
        books[0].id: 5,
        books[1].id: 5,
        books[2].id: 1,
        books[3].id: 1,
    }
    await _manage(client, kit, "remove", books[1:3])
    assert set(await _items(database, ident)) == {books[0].id, books[3].id}
    await _manage(client, kit, "replace", books[5:6], qty=3)
    assert await _items(database, ident) == {books[5].id: 3}


@pytest.mark.parametrize(
    ("action", "pick", "status", "code"),
    [
        ("add", "foreign", 422, "validation_error"),
        ("add", "present", 409, "unique_violation"),
        ("remove", "absent", 422, "validation_error"),
        ("update", "absent", 422, "validation_error"),
        ("replace", "none", 409, "bundle_not_publishable"),  # a published bundle stays filled
        ("remove", "present", 409, "bundle_not_publishable"),
        ("move", "present", 422, "validation_error"),
    ],
)
async def test_refused_actions_change_nothing(
    client, auth, kit, database, action, pick, status, code
):
    login_as(auth, uuid.uuid4(), **kit["login"])
    chosen = {
        "foreign": [kit["foreign"]],
        "present": kit["books"][:2],
        "absent": [kit["books"][0], kit["books"][9]],
        "none": [],
    }[pick]
    before = await _items(database, kit["bundle"].id)
    response = await _manage(client, kit, action, chosen)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert await _items(database, kit["bundle"].id) == before
    async with database.sessionmaker() as db:
        assert (await db.get(Bundle, kit["bundle"].id)).version == 1


@pytest.mark.parametrize("action", ["add", "update", "remove", "replace"])
async def test_each_action_costs_the_same_statements_for_1_or_50_items(
    client, auth, kit, database, action
):
    login_as(auth, uuid.uuid4(), **kit["login"])
    counts = []
    for size in (1, 50):
        async with database.sessionmaker() as db:  # a fresh bundle holding what the action needs
            start = kit["books"][2 : 2 + size]
            held = start if action in ("update", "remove") else kit["books"][:1]
            fresh = await make_bundle(db, kit["mine"], held, status="draft")
            await db.commit()
        kit["bundle"] = fresh
        async with count_statements(database) as log:
            response = await _manage(client, kit, action, start, qty=2)
        assert response.status_code == 200, response.text
        counts.append(log.count)
    assert counts[0] == counts[1], counts


async def test_category_actions(client, auth, kit, database):
    login_as(auth, uuid.uuid4(), **kit["login"])
    cats, ident = kit["cats"], str(kit["bundle"].id)

    async def manage(action, chosen):
        response = await client.post(
            f"{URL}/category/manage",
            json={"id": ident, "action": action, "categories": [str(c.id) for c in chosen]},
        )
        assert response.status_code == 200, response.text
        return [c["name"] for c in response.json()["data"]["categories"]]

    assert await manage("add", cats[:2]) == ["Kat 0", "Kat 1"]  # Kat 0 was there already
    assert await manage("remove", cats[:1]) == ["Kat 1"]
    assert await manage("replace", cats[2:]) == ["Kat 2"]
    unknown = await client.post(
        f"{URL}/category/manage",
        json={"id": ident, "action": "add", "categories": [str(uuid.uuid4())]},
    )
    assert unknown.status_code == 422
    async with database.sessionmaker() as db:
        linked = (await db.scalars(select(BundleCategory.id_category))).all()
    assert linked == [cats[2].id]


async def test_stats_aggregate_paid_orders_in_the_period(client, auth, kit, database):
    day = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    async with database.sessionmaker() as db:
        bundle = await db.get(Bundle, kit["bundle"].id)
        quiet = await make_bundle(db, kit["mine"], [], name="Sepi", status="draft")
        buyer, second = await make_customer(db), await make_customer(db)
        await make_order(db, buyer, "paid", bundle, qty=2, paid_at=day)
        await make_order(db, buyer, "paid", bundle, paid_at=day + dt.timedelta(days=1))
        await make_order(db, second, "paid", bundle, paid_at=day + dt.timedelta(days=40))
        await make_order(db, second, "pending", bundle)
        await db.commit()
    login_as(auth, uuid.uuid4(), **kit["login"])
    period = {"from": "2026-06-01T00:00:00Z", "to": "2026-07-01T00:00:00Z"}
    async with count_statements(database) as log:
        body = (await client.post(f"{URL}/stats", json=period)).json()["data"]
    assert log.count == 2, log.statements
    figures = {row["name"]: row for row in body["bundles"]}
    assert figures["Isi"]["qty"] == 3
    assert Decimal(figures["Isi"]["revenue"]) == 3 * Decimal(90_000)
    assert figures["Isi"]["customers"] == 1
    assert figures["Sepi"]["qty"] == 0
    assert body["by_status"] == {"published": 1, "draft": 1}
    only = (await client.post(f"{URL}/stats", json={"ids": [str(quiet.id)]})).json()["data"]
    assert [row["name"] for row in only["bundles"]] == ["Sepi"]
    assert only["by_status"] == {"draft": 1}
    everything = (await client.get(f"{URL}/stats")).json()["data"]
    assert figures["Isi"]["qty"] < next(
        r["qty"] for r in everything["bundles"] if r["name"] == "Isi"
    )
    naive = await client.post(f"{URL}/stats", json={"from": "2026-06-01T00:00:00"})
    assert naive.status_code == 422
