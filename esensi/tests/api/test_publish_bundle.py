"""An author's own bundles through HTTP: create, update, get, detail, list, search, delete."""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from esensi.models.bundle import Bundle, BundleProduct
from factories import login_as, make_author
from factories.catalogue import (
    link,
    make_bundle,
    make_category,
    make_customer,
    make_order,
    make_product,
    make_publisher,
)
from rlib.testing.statements import count_statements

URL = "/api/publish/bundle"


@pytest.fixture
async def shop(database):
    async with database.sessionmaker() as db:
        mine, other = await make_author(db, name="Mine"), await make_author(db, name="Other")
        cats = [await make_category(db), await make_category(db)]
        books = [await make_product(db, mine, name=f"Buku {n}") for n in range(3)]
        draft = await make_product(db, mine, name="Draf", status="draft")
        foreign = await make_product(db, other, name="Asing")
        await db.commit()
    return {
        "mine": mine,
        "other": other,
        "cats": cats,
        "books": books,
        "draft": draft,
        "foreign": foreign,
    }


def _body(shop, **overrides):
    return {
        "name": "Paket Hemat",
        "slug": "paket-hemat",
        "real_price": "99000",
        "strike_price": "150000",
        "items": [{"id_product": str(p.id)} for p in shop["books"][:2]],
        "categories": [str(shop["cats"][0].id)],
        **overrides,
    }


async def _count(database, model) -> int:
    async with database.sessionmaker() as db:
        return await db.scalar(select(func.count()).select_from(model))


async def test_create_stamps_the_owner_and_writes_contents_in_one_go(client, auth, shop, database):
    login_as(auth, uuid.uuid4(), author=shop["mine"].id)
    response = await client.post(f"{URL}/create", json=_body(shop))
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["id_author"] == str(shop["mine"].id)
    assert data["status"] == "draft"
    assert [p["name"] for p in data["products"]] == ["Buku 0", "Buku 1"]
    assert [c["id"] for c in data["categories"]] == [str(shop["cats"][0].id)]
    assert "cfg" not in data
    assert await _count(database, BundleProduct) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"status": "published"},
        {"id": str(uuid.uuid4())},
        {"version": 3},
        {"deleted_at": "2026-01-01T00:00:00Z"},
        {"created_at": "2026-01-01T00:00:00Z"},
        {"id_author": str(uuid.uuid4())},  # not one the caller manages
        {"strike_price": "10"},
        {"real_price": "1e40"},
        {"name": "x\u0000"},
        {"items": [{"id_product": "foreign"}]},
        {"items": [{"id_product": "draft"}]},
        {"items": [{"id_product": "missing"}]},
        {"items": [{"id_product": "book", "qty": 101}]},
        {"items": [{"id_product": "book"}, {"id_product": "book"}]},
        {"categories": [str(uuid.uuid4())]},
        {"slug": "Bukan Slug"},
    ],
)
async def test_bad_creates_write_nothing(client, auth, shop, database, change):
    named = {
        "foreign": shop["foreign"].id,
        "draft": shop["draft"].id,
        "missing": uuid.uuid4(),
        "book": shop["books"][0].id,
    }
    if "items" in change:  # the parameters are shared by both backends: build new items
        items = [{**i, "id_product": str(named[i["id_product"]])} for i in change["items"]]
        change = {**change, "items": items}
    login_as(auth, uuid.uuid4(), author=shop["mine"].id)
    response = await client.post(f"{URL}/create", json=_body(shop, **change))
    assert response.status_code == 422, response.text
    assert await _count(database, Bundle) == 0
    assert await _count(database, BundleProduct) == 0


async def test_a_slug_clash_is_a_409_and_nothing_is_left(client, auth, shop, database):
    login_as(auth, uuid.uuid4(), author=shop["mine"].id)
    assert (await client.post(f"{URL}/create", json=_body(shop))).status_code == 201
    again = await client.post(f"{URL}/create", json=_body(shop, name="Lain"))
    assert again.status_code == 409
    assert again.json()["code"] == "unique_violation"
    assert await _count(database, Bundle) == 1
    assert await _count(database, BundleProduct) == 2


async def test_a_publisher_creates_for_a_named_active_author(client, auth, shop, database):
    async with database.sessionmaker() as db:
        publisher = await make_publisher(db)
        await link(db, publisher, shop["mine"], "active")
        await link(db, publisher, shop["other"], "active")
        await db.commit()
    login_as(auth, uuid.uuid4(), publisher=publisher.id)
    unnamed = await client.post(f"{URL}/create", json=_body(shop))
    assert unnamed.status_code == 422
    # the products must belong to the bundle's own author
    wrong = await client.post(f"{URL}/create", json=_body(shop, id_author=str(shop["other"].id)))
    assert wrong.status_code == 422
    named = await client.post(f"{URL}/create", json=_body(shop, id_author=str(shop["mine"].id)))
    assert named.status_code == 201, named.text
    assert named.json()["data"]["id_author"] == str(shop["mine"].id)


async def _bundle(client, auth, shop) -> dict:
    login_as(auth, uuid.uuid4(), author=shop["mine"].id)
    return (await client.post(f"{URL}/create", json=_body(shop))).json()["data"]


async def test_update_replaces_contents_and_publishes(client, auth, shop, database):
    made = await _bundle(client, auth, shop)
    third, second_cat = shop["books"][2], shop["cats"][1]
    response = await client.post(
        f"{URL}/update",
        json={
            "id": made["id"],
            "version": 1,
            "name": "Paket Baru",
            "status": "published",
            "items": [{"id_product": str(third.id), "qty": 2}],
            "categories": [str(second_cat.id)],
        },
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["name"], data["status"], data["version"]) == ("Paket Baru", "published", 2)
    assert [(p["id"], p["qty"]) for p in data["products"]] == [(str(third.id), 2)]
    assert [c["id"] for c in data["categories"]] == [str(second_cat.id)]
    stale = await client.post(f"{URL}/update", json={"id": made["id"], "version": 1, "name": "x"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"


async def test_an_empty_or_unpublished_bundle_cannot_be_published(client, auth, shop, database):
    login_as(auth, uuid.uuid4(), author=shop["mine"].id)
    empty = (await client.post(f"{URL}/create", json=_body(shop, items=[]))).json()["data"]
    response = await client.post(f"{URL}/update", json={"id": empty["id"], "status": "published"})
    assert response.status_code == 409
    assert response.json()["code"] == "bundle_not_publishable"
    async with database.sessionmaker() as db:
        assert (await db.get(Bundle, uuid.UUID(empty["id"]))).status == "draft"


@pytest.mark.parametrize(
    "change",
    [
        {"status": "deleted"},
        {"status": None},
        {"name": None},
        {"real_price": None, "strike_price": "200000"},
        {"id_author": "x"},
        {"updated_at": "2026-01-01"},
    ],
)
async def test_bad_updates_are_422(client, auth, shop, change):
    made = await _bundle(client, auth, shop)
    response = await client.post(f"{URL}/update", json={"id": made["id"], **change})
    assert response.status_code == 422, response.text


async def test_get_by_id_or_slug_with_includes(client, auth, shop, database):
    made = await _bundle(client, auth, shop)
    async with database.sessionmaker() as db:
        for _ in range(12):
            await make_order(
                db, await make_customer(db), "paid", await db.get(Bundle, uuid.UUID(made["id"]))
            )
        await db.commit()
    plain = (await client.post(f"{URL}/get", json={"slug": "paket-hemat"})).json()["data"]
    assert plain["id"] == made["id"]
    assert plain["products"] is None
    assert plain["sales"] is None
    async with count_statements(database) as log:
        full = (
            await client.post(
                f"{URL}/get",
                json={"id": made["id"], "include": ["products", "categories", "sales"]},
            )
        ).json()["data"]
    assert len(full["products"]) == 2
    assert len(full["sales"]) == 10
    assert set(full["sales"][0]) == {"id_sales", "qty", "unit_price", "total_price", "paid_at"}
    assert log.count == 4, log.statements
    both = await client.post(f"{URL}/get", json={"id": made["id"], "slug": "paket-hemat"})
    assert both.status_code == 422
    unknown = await client.post(f"{URL}/get", json={"id": made["id"], "include": ["buyers"]})
    assert unknown.status_code == 422


async def test_detail_and_list_are_the_generic_reads(client, auth, shop, database):
    made = await _bundle(client, auth, shop)
    detail = (await client.get(f"{URL}/{made['id']}")).json()["data"]
    assert (await client.post(f"{URL}/{made['id']}", json={})).json()["data"] == detail
    assert {i["id_product"] for i in detail["items"]} == {str(p.id) for p in shop["books"][:2]}
    assert len(detail["categories"]) == 1
    assert "cfg" not in detail
    async with count_statements(database) as log:
        listed = (await client.post(f"{URL}/list", json={"search": "hemat"})).json()
    assert [b["id"] for b in listed["data"]] == [made["id"]]
    assert log.count == 2, log.statements


async def test_delete_is_soft_and_hard_only_without_sales(client, auth, shop, database):
    made = await _bundle(client, auth, shop)
    sold = await client.post(f"{URL}/create", json=_body(shop, slug="laku", name="Laku"))
    sold_id = sold.json()["data"]["id"]
    async with database.sessionmaker() as db:
        await make_order(
            db, await make_customer(db), "paid", await db.get(Bundle, uuid.UUID(sold_id))
        )
        await db.commit()
    blocked = await client.post(f"{URL}/delete", json={"id": sold_id, "hard": True})
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "delete_blocked"
    soft = await client.post(f"{URL}/delete", json={"id": sold_id})
    assert soft.status_code == 200
    hard = await client.post(f"{URL}/delete", json={"id": made["id"], "hard": True})
    assert hard.status_code == 200, hard.text
    async with database.sessionmaker() as db:
        left = {
            row.id: row.deleted_at
            for row in (await db.execute(select(Bundle.id, Bundle.deleted_at)))
        }
    assert list(left) == [uuid.UUID(sold_id)]
    assert left[uuid.UUID(sold_id)] is not None
    gone = await client.post(f"{URL}/get", json={"id": sold_id})
    assert gone.status_code == 404
    trash = (await client.get(f"{URL}/trash")).json()["data"]
    assert [b["id"] for b in trash] == [sold_id]


async def test_search_filters_and_sorts_by_sales(client, auth, shop, database):
    async with database.sessionmaker() as db:
        mine = shop["mine"]
        books = shop["books"]
        cheap = await make_bundle(db, mine, [books[0]], name="Murah", real_price=Decimal(10_000))
        best = await make_bundle(
            db, mine, [books[1]], shop["cats"][0], name="Laris", real_price=Decimal(50_000)
        )
        empty = await make_bundle(
            db, mine, [], name="Kosong", status="draft", real_price=Decimal(90_000)
        )
        await make_bundle(db, shop["other"], [shop["foreign"]], name="Laris Asing")
        customer = await make_customer(db)
        await make_order(db, customer, "paid", best, qty=3)
        await make_order(db, await make_customer(db), "paid", cheap)
        await make_order(db, await make_customer(db), "cart", cheap, qty=5)
        await db.commit()
    login_as(auth, uuid.uuid4(), author=shop["mine"].id)

    async def names(**query) -> list[str]:
        body = (await client.post(f"{URL}/search", json=query)).json()
        assert body["success"], body
        return [b["name"] for b in body["data"]]

    assert await names(sort="-sales") == ["Laris", "Murah", "Kosong"]
    assert await names(search="laris") == ["Laris"]
    assert await names(statuses=["draft"]) == ["Kosong"]
    assert await names(price_min="20000", price_max="60000") == ["Laris"]
    assert await names(has_products=False) == ["Kosong"]
    assert await names(has_categories=True) == ["Laris"]
    assert await names(ids=[str(cheap.id), str(empty.id)], sort="name") == ["Kosong", "Murah"]
    assert await names(search="100%_") == []
    first = (await client.post(f"{URL}/search", json={"sort": "price", "limit": 2})).json()
    assert [b["name"] for b in first["data"]] == ["Murah", "Laris"]
    assert first["data"][1]["sales"] == 3
    assert first["pagination"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}
    async with count_statements(database) as log:
        await client.post(f"{URL}/search", json={"sort": "sales"})
    assert log.count == 2, log.statements
    bad = await client.post(f"{URL}/search", json={"sort": "secret"})
    assert bad.status_code == 422
