"""Products in the back office: kept by sales and marketing and management, listed by any staff,
every write audited in its own transaction, status moves checked, sold products kept."""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select
from staff_helpers import audit_rows, make_products, make_sale, sign_in_staff

from esensi.models.bundle import Bundle, BundleProduct
from esensi.models.notif import Notif
from esensi.models.publisher import Publisher, PublisherAuthor
from factories import make_author
from factories.logins import make_login
from rlib.testing.statements import count_statements


@pytest.fixture
async def merchant(database, auth):
    return await sign_in_staff(database, auth, "sales_and_marketing")


async def _author(database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        await db.commit()
        return author.id


def _body(author_id, **extra):
    return {
        "name": "Laut Bercerita",
        "slug": "laut-bercerita",
        "real_price": "75000",
        "id_author": str(author_id),
        **extra,
    }


async def test_create_get_update_delete_restore_each_audited(client, database, merchant):
    author = await _author(database)
    created = await client.post("/api/internal/product/create", json=_body(author))
    assert created.status_code == 201, created.text
    product = created.json()["data"]
    assert (product["status"], product["version"], product["real_price"]) == (
        "draft",
        1,
        "75000.00",
    )
    got = (await client.get(f"/api/internal/product/{product['id']}")).json()["data"]
    assert got["author"]["id"] == str(author)
    assert "bank_account_number" not in got["author"]
    updated = await client.post(
        "/api/internal/product/update",
        json={"id": product["id"], "version": 1, "status": "published", "real_price": "80000"},
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["data"]["published_date"] is not None
    assert (
        await client.post("/api/internal/product/delete", json={"id": product["id"]})
    ).status_code == 200
    assert (await client.get(f"/api/internal/product/{product['id']}")).status_code == 404
    restored = await client.post("/api/internal/product/restore", json={"id": product["id"]})
    assert restored.status_code == 200, restored.text
    trail = await audit_rows(database, "product")
    assert [row.action for row in trail] == [
        "product.create",
        "product.update",
        "product.delete",
        "product.restore",
    ]
    assert {row.id_user for row in trail} == {merchant.id}
    assert {row.actor_type for row in trail} == {"internal"}
    assert all(row.entity_id == product["id"] and row.request_id for row in trail)
    # What the server set along (the first publication date) is audited too.
    assert trail[1].before == {"status": "draft", "real_price": "75000.00", "published_date": None}
    assert trail[1].after["status"] == "published"
    assert trail[1].after["real_price"] == "80000"


async def test_a_refused_write_leaves_no_audit_row(client, database, merchant):
    author = await _author(database)
    await client.post("/api/internal/product/create", json=_body(author))
    clash = await client.post("/api/internal/product/create", json=_body(author))
    assert clash.status_code == 409
    assert [row.action for row in await audit_rows(database, "product")] == ["product.create"]


@pytest.mark.parametrize(
    "field",
    ["id", "version", "created_at", "updated_at", "deleted_at", "published_date", "currency"],
)
async def test_server_owned_fields_are_422(client, database, merchant, field):
    author = await _author(database)
    body = _body(author, **{field: "2020-01-01T00:00:00Z" if "_at" in field else 3})
    response = await client.post("/api/internal/product/create", json=body)
    assert response.status_code == 422, response.text
    assert await audit_rows(database, "product") == []


async def test_bad_input_is_422_in_both_languages(client, database, merchant):
    author = await _author(database)
    for body in (
        _body(author, real_price="-1"),
        _body(author, real_price="1" * 30),
        _body(author, name="a\x00b"),
        _body(author, status="discontinued"),
        _body(uuid.uuid4()),
        {**_body(author), "real_price": [1]},
    ):
        response = await client.post("/api/internal/product/create", json=body)
        assert response.status_code == 422, (body, response.text)
    english = await client.post(
        "/api/internal/product/create",
        json=_body(author, real_price="-1"),
        headers={"Accept-Language": "en"},
    )
    assert english.json()["success"] is False
    strike = await client.post(
        "/api/internal/product/create", json=_body(author, strike_price="10")
    )
    assert strike.status_code == 422, strike.text


async def test_status_moves_follow_the_workflow(client, database, merchant):
    (product,) = await make_products(database, 1, status="draft")
    url = "/api/internal/product/update"
    skip = await client.post(url, json={"id": str(product.id), "status": "paused"})
    assert skip.status_code == 409
    assert "draft" in skip.json()["message"]
    for status in ("published", "paused", "discontinued"):
        moved = await client.post(url, json={"id": str(product.id), "status": status})
        assert moved.status_code == 200, moved.text
    final = await client.post(url, json={"id": str(product.id), "status": "published"})
    assert final.status_code == 409


async def test_pausing_a_product_pauses_the_bundles_holding_it(client, database, merchant):
    async with database.sessionmaker() as db:
        login = await make_login(db, password=None)
        author = await make_author(db, id_user=login.id)
        await db.commit()
        owner = login.id
    held, other = await make_products(database, 2, id_author=author.id)
    async with database.sessionmaker() as db:
        bundles = [
            Bundle(
                name=f"Paket {n}",
                slug=f"paket-{n}",
                real_price=Decimal(1),
                id_author=held.id_author,
                status="published",
            )
            for n in range(2)
        ]
        db.add_all(bundles)
        await db.flush()
        db.add(BundleProduct(id_bundle=bundles[0].id, id_product=held.id))
        db.add(BundleProduct(id_bundle=bundles[1].id, id_product=other.id))
        await db.commit()
    response = await client.patch(f"/api/internal/product/{held.id}", json={"status": "paused"})
    assert response.status_code == 200, response.text
    async with database.sessionmaker() as db:
        statuses = {b.slug: (await db.get(Bundle, b.id)).status for b in bundles}
    assert statuses == {"paket-0": "paused", "paket-1": "published"}
    async with database.sessionmaker() as db:
        notes = list(await db.scalars(select(Notif).where(Notif.id_user == owner)))
    assert len(notes) == 1
    assert notes[0].type == "message"
    assert "Paket 0" in notes[0].message
    assert "Paket 1" not in notes[0].message


async def test_a_product_in_a_cart_only_can_be_deleted(client, database, merchant):
    (product,) = await make_products(database, 1)
    await make_sale(database, product_id=product.id, status="cart")
    assert (await client.delete(f"/api/internal/product/{product.id}")).status_code == 200


async def test_a_sold_product_cannot_be_deleted(client, database, merchant):
    (product,) = await make_products(database, 1)
    await make_sale(database, product_id=product.id)
    response = await client.delete(f"/api/internal/product/{product.id}")
    assert response.status_code == 409
    assert "t_sales_line" in response.json()["message"]
    assert await audit_rows(database, "product") == []


@pytest.mark.parametrize(
    ("roles", "list_status", "write_status"),
    [
        (("management",), 200, 201),
        (("sales_and_marketing",), 200, 201),
        (("support",), 200, 403),
        (("it",), 200, 403),
    ],
)
async def test_roles(client, database, auth, roles, list_status, write_status):
    await sign_in_staff(database, auth, *roles)
    author = await _author(database)
    assert (await client.get("/api/internal/product")).status_code == list_status
    assert (await client.post("/api/internal/product/list", json={})).status_code == list_status
    created = await client.post("/api/internal/product/create", json=_body(author))
    assert created.status_code == write_status
    (product,) = await make_products(database, 1)
    got = await client.get(f"/api/internal/product/{product.id}")
    assert got.status_code == (200 if write_status == 201 else 403)
    # The action URL keeps the resource's roles, whatever action it is asked for.
    dispatched = await client.post("/api/internal/product", json={"action": "list"})
    assert dispatched.status_code == (200 if write_status == 201 else 403)


async def test_list_filters_search_and_statement_count(client, database, merchant):
    await make_products(database, 12)
    await make_products(database, 3, status="paused")
    async with count_statements(database) as log:
        body = (
            await client.get("/api/internal/product", params={"status": "published", "limit": 10})
        ).json()
    assert body["pagination"]["total"] == 12
    assert len(body["data"]) == 10
    assert all(item["author"]["name"] for item in body["data"])
    assert log.count == 3, log.statements  # rows, count, the authors of the page
    found = (await client.get("/api/internal/product", params={"search": "Produk 1-"})).json()
    assert found["pagination"]["total"] == 2
    unknown = await client.get("/api/internal/product", params={"secret": "x"})
    assert unknown.status_code == 422


async def test_detail_statement_count(client, database, merchant):
    (product,) = await make_products(database, 1)
    async with count_statements(database) as log:
        got = (await client.get(f"/api/internal/product/{product.id}")).json()["data"]
    assert got["categories"] == []
    assert got["publisher"] is None
    assert log.count == 3, log.statements  # the product, its author, its categories


async def test_a_publisher_owns_a_product_only_through_an_active_link(client, database, merchant):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        linked = Publisher(name=f"Penerbit {uuid.uuid4().hex[:6]}")
        invited = Publisher(name=f"Penerbit {uuid.uuid4().hex[:6]}")
        db.add_all([linked, invited])
        await db.flush()
        db.add(PublisherAuthor(publisher_id=linked.id, author_id=author.id, status="active"))
        db.add(PublisherAuthor(publisher_id=invited.id, author_id=author.id, status="invited"))
        await db.commit()
    refused = await client.post(
        "/api/internal/product/create", json=_body(author.id, id_publisher=str(invited.id))
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"].startswith("Penerbit tidak terhubung")
    created = await client.post(
        "/api/internal/product/create", json=_body(author.id, id_publisher=str(linked.id))
    )
    assert created.status_code == 201, created.text
    assert created.json()["data"]["id_publisher"] == str(linked.id)


@pytest.mark.parametrize(
    "patch",
    [
        {"id_author": str(uuid.uuid4())},
        {"id_publisher": str(uuid.uuid4())},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"deleted_at": "2020-01-01T00:00:00Z"},
        {"published_date": "2020-01-01T00:00:00Z"},
        {"currency": "USD"},
    ],
)
async def test_an_update_cannot_set_owner_or_server_fields(client, database, merchant, patch):
    (product,) = await make_products(database, 1)
    response = await client.patch(f"/api/internal/product/{product.id}", json=patch)
    assert response.status_code == 422, response.text
    got = (await client.get(f"/api/internal/product/{product.id}")).json()["data"]
    assert (got["id_author"], got["version"]) == (str(product.id_author), 1)
    assert await audit_rows(database, "product") == []
