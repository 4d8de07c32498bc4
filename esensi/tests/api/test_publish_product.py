"""An author's own products through HTTP: list, detail, update, discontinue, stats."""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from esensi.models.bundle import Bundle
from esensi.models.notif import Notif
from esensi.models.product import Product, ProductCategory
from factories import login_as, make_author, make_user
from factories.catalogue import (
    make_bundle,
    make_category,
    make_customer,
    make_order,
    make_product,
    make_reader,
)
from rlib.testing.statements import count_statements

URL = "/api/publish/product"


@pytest.fixture
async def shelf(database):
    """Two authors; the first has two products (one in two bundles), the second one product."""
    async with database.sessionmaker() as db:
        mine, other = await make_author(db, name="Mine"), await make_author(db, name="Other")
        novel_cat, poem_cat = await make_category(db), await make_category(db)
        novel = await make_product(db, mine, novel_cat, name="Novel", real_price=Decimal(40_000))
        poems = await make_product(db, mine, name="Puisi")
        foreign = await make_product(db, other, name="Asing")
        duo = await make_bundle(db, mine, [novel, poems], name="Duo")
        solo = await make_bundle(db, mine, [novel], name="Solo", status="draft")
        theirs = await make_bundle(db, other, [foreign], name="Milik lain")
        await db.commit()
    return {
        "mine": mine,
        "other": other,
        "novel": novel,
        "poems": poems,
        "foreign": foreign,
        "duo": duo,
        "solo": solo,
        "theirs": theirs,
        "categories": (novel_cat, poem_cat),
    }


async def _product(database, product_id) -> Product:
    async with database.sessionmaker() as db:
        return await db.get(Product, product_id)


async def test_the_list_holds_only_own_live_products(client, auth, shelf):
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    body = (await client.post(f"{URL}/list", json={"include": "categories"})).json()
    assert {item["name"] for item in body["data"]} == {"Novel", "Puisi"}
    assert body["pagination"]["total"] == 2
    novel = next(item for item in body["data"] if item["name"] == "Novel")
    assert [c["id"] for c in novel["categories"]] == [str(shelf["categories"][0].id)]
    assert "product_file" not in novel
    searched = (await client.get(f"{URL}?search=puisi&status=published")).json()
    assert [item["name"] for item in searched["data"]] == ["Puisi"]


async def test_the_list_costs_a_count_and_a_select(client, auth, shelf, database):
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    async with count_statements(database) as log:
        response = await client.post(f"{URL}/list", json={})
    assert response.status_code == 200
    assert log.count == 2, log.statements


async def test_detail_shows_categories_and_the_callers_bundles(client, auth, shelf):
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    body = (await client.post(f"{URL}/detail", json={"id": str(shelf["novel"].id)})).json()
    data = body["data"]
    assert data["name"] == "Novel"
    assert [c["slug"] for c in data["categories"]] == [shelf["categories"][0].slug]
    assert [b["name"] for b in data["bundles"]] == ["Duo", "Solo"]
    assert data["bundles"][0]["qty"] == 1
    assert "product_file" not in data
    same = (await client.get(f"{URL}/detail?id={shelf['novel'].id}")).json()
    assert same["data"] == data


async def test_detail_shows_at_most_ten_bundles_in_constant_statements(
    client, auth, shelf, database
):
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    ident = str(shelf["novel"].id)
    async with count_statements(database) as few:
        await client.post(f"{URL}/detail", json={"id": ident})
    async with database.sessionmaker() as db:
        for _ in range(12):
            await make_bundle(db, shelf["mine"], [shelf["novel"]])
        await db.commit()
    async with count_statements(database) as many:
        body = (await client.post(f"{URL}/detail", json={"id": ident})).json()
    assert len(body["data"]["bundles"]) == 10
    assert many.count == few.count == 3, many.statements


async def test_update_changes_prices_categories_and_version(client, auth, shelf, database):
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    _, poem_cat = shelf["categories"]
    response = await client.post(
        f"{URL}/update",
        json={
            "id": str(shelf["novel"].id),
            "version": 1,
            "real_price": "45000",
            "strike_price": "60000",
            "categories": [str(poem_cat.id), str(poem_cat.id)],
        },
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert Decimal(data["real_price"]) == 45_000
    assert Decimal(data["strike_price"]) == 60_000
    assert data["version"] == 2
    assert [c["id"] for c in data["categories"]] == [str(poem_cat.id)]
    async with database.sessionmaker() as db:
        links = (await db.scalars(select(ProductCategory.id_category))).all()
    assert links == [poem_cat.id]


async def test_pausing_a_product_pauses_its_published_bundles(client, auth, shelf, database):
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    response = await client.post(
        f"{URL}/update", json={"id": str(shelf["poems"].id), "status": "paused"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["status"] == "paused"
    async with database.sessionmaker() as db:
        statuses = dict((await db.execute(select(Bundle.name, Bundle.status))).all())
    assert statuses == {"Duo": "paused", "Solo": "draft", "Milik lain": "published"}
    back = await client.post(
        f"{URL}/update", json={"id": str(shelf["poems"].id), "status": "published"}
    )
    assert back.json()["data"]["status"] == "published"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"version": 7, "real_price": "1"}, 409, "stale_version"),
        ({"strike_price": "100"}, 422, "validation_error"),
        ({"categories": [str(uuid.uuid4())]}, 422, "validation_error"),
        ({"status": "discontinued"}, 422, "validation_error"),
        ({"status": "draft"}, 422, "validation_error"),
        ({"id_author": str(uuid.uuid4())}, 422, "validation_error"),
        ({"deleted_at": "2026-01-01T00:00:00Z"}, 422, "validation_error"),
        ({"created_at": "2026-01-01T00:00:00Z"}, 422, "validation_error"),
        ({"id_product": str(uuid.uuid4())}, 422, "validation_error"),
        ({"real_price": "1e30"}, 422, "validation_error"),
        ({"real_price": "-1"}, 422, "validation_error"),
        ({"real_price": [1]}, 422, "validation_error"),
        ({"version": 10**20}, 422, "validation_error"),
        ({"real_price": None, "strike_price": "90000"}, 422, "validation_error"),
        ({"status": None}, 422, "validation_error"),
    ],
)
async def test_bad_updates_change_nothing(client, auth, shelf, database, change, status, code):
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    before = await _product(database, shelf["novel"].id)
    response = await client.post(f"{URL}/update", json={"id": str(shelf["novel"].id), **change})
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    after = await _product(database, shelf["novel"].id)
    assert (after.real_price, after.version, after.status) == (
        before.real_price,
        before.version,
        before.status,
    )


async def test_a_draft_product_cannot_be_switched_on_by_its_owner(client, auth, shelf, database):
    async with database.sessionmaker() as db:
        draft = await make_product(db, shelf["mine"], status="draft")
        await db.commit()
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    response = await client.post(
        f"{URL}/update",
        json={"id": str(draft.id), "status": "published"},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "product_status_locked"
    assert response.json()["message"].startswith("Only a published or paused product")


async def test_delete_without_sales_discontinues_and_hides(client, auth, shelf, database):
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    response = await client.post(f"{URL}/delete", json={"id": str(shelf["poems"].id)})
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {
        "id": str(shelf["poems"].id),
        "status": "discontinued",
        "version": 2,
        "deleted": True,
    }
    listed = (await client.post(f"{URL}/list", json={})).json()["data"]
    assert [item["name"] for item in listed] == ["Novel"]
    again = await client.post(f"{URL}/detail", json={"id": str(shelf["poems"].id)})
    assert again.status_code == 404
    async with database.sessionmaker() as db:
        duo = await db.get(Bundle, shelf["duo"].id)
    assert duo.status == "paused"


async def test_delete_of_a_sold_product_only_discontinues(client, auth, shelf, database):
    async with database.sessionmaker() as db:
        await make_order(db, await make_customer(db), "paid", shelf["duo"])
        await db.commit()
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    response = await client.post(f"{URL}/delete", json={"id": str(shelf["poems"].id)})
    assert response.json()["data"]["deleted"] is False
    listed = (await client.post(f"{URL}/list", json={"status": "discontinued"})).json()["data"]
    assert [item["name"] for item in listed] == ["Puisi"]
    stale = await client.post(f"{URL}/delete", json={"id": str(shelf["poems"].id), "version": 1})
    assert stale.status_code == 409


async def test_stats_count_readers_carts_and_sales_in_one_statement(client, auth, shelf, database):
    async with database.sessionmaker() as db:
        buyers = [await make_customer(db) for _ in range(4)]
        await make_reader(db, buyers[0], shelf["novel"])
        await make_reader(db, buyers[1], shelf["novel"])
        await make_order(db, buyers[0], "paid", shelf["novel"])
        await make_order(db, buyers[1], "paid", shelf["duo"], qty=2)
        await make_order(db, buyers[2], "cart", shelf["novel"])
        await make_order(db, buyers[3], "pending", shelf["novel"])
        await make_order(db, buyers[3], "paid", shelf["theirs"])
        await db.commit()
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    async with count_statements(database) as log:
        body = (await client.post(f"{URL}/stats", json={"id": str(shelf["novel"].id)})).json()
    assert body["data"] == {"reads": 2, "in_carts": 1, "sold_alone": 1, "sold_in_bundles": 2}
    assert log.count == 2, log.statements  # the ownership check and the aggregate


async def test_a_null_for_a_required_column_names_the_field(client, auth, shelf):
    login_as(auth, uuid.uuid4(), author=shelf["mine"].id)
    response = await client.post(
        f"{URL}/update", json={"id": str(shelf["novel"].id), "real_price": None}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "real_price"
    assert response.json()["errors"][0]["message"] == "Wajib diisi"


async def test_the_owner_is_told_which_bundles_a_pause_paused(client, auth, database):
    async with database.sessionmaker() as db:
        user = await make_user(db)
        author = await make_author(db, id_user=user.id)
        product = await make_product(db, author, name="Laskar")
        await make_bundle(db, author, [product], name="Paket B")
        await make_bundle(db, author, [product], name="Paket A")
        await make_bundle(db, author, [product], name="Draf", status="draft")
        await db.commit()
    login_as(auth, uuid.uuid4(), author=author.id)
    response = await client.post(f"{URL}/update", json={"id": str(product.id), "status": "paused"})
    assert response.status_code == 200, response.text
    async with database.sessionmaker() as db:
        notes = (await db.execute(select(Notif.id_user, Notif.type, Notif.message))).all()
    assert [(n.id_user, n.type) for n in notes] == [(user.id, "message")]
    assert notes[0].message.endswith("Laskar tidak lagi dijual: Paket A, Paket B")
    again = await client.post(f"{URL}/delete", json={"id": str(product.id)})
    assert again.status_code == 200
    async with database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(Notif)) == 1  # none left to pause
