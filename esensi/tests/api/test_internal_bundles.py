"""Bundles in the back office: create and update with products and categories work (the
original's always failed), products are the author's own and published when the bundle is,
any staff read, sales and marketing and management write, each write audited."""

import uuid

import pytest
from staff_helpers import audit_rows, make_products, make_sale, sign_in_staff

from esensi.models.product import Product
from esensi.models.taxonomy import Category
from rlib.testing.statements import count_statements


@pytest.fixture
async def merchant(database, auth):
    return await sign_in_staff(database, auth, "sales_and_marketing")


async def _category(database, slug="fiksi"):
    async with database.sessionmaker() as db:
        category = Category(name=slug.title(), slug=slug)
        db.add(category)
        await db.commit()
        return str(category.id)


def _body(products, **extra):
    return {
        "name": "Paket Hemat",
        "slug": "paket-hemat",
        "real_price": "90000",
        "id_author": str(products[0].id_author),
        "products": [{"id_product": str(p.id), "qty": 1} for p in products],
        **extra,
    }


async def _create(client, body):
    response = await client.post("/api/internal/bundle/create", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_create_with_products_and_categories_then_read_it(client, database, merchant):
    products = await make_products(database, 2)
    category = await _category(database)
    created = await _create(client, _body(products, categories=[category], status="published"))
    assert created["status"] == "published"
    assert sorted(item["id_product"] for item in created["items"]) == sorted(
        str(p.id) for p in products
    )
    assert [c["id"] for c in created["categories"]] == [category]
    for url in (f"/api/internal/bundle/{created['id']}",):
        assert (await client.get(url)).json()["data"]["name"] == "Paket Hemat"
    got = await client.post("/api/internal/bundle/get", json={"id": created["id"]})
    assert got.json()["data"]["author"]["id"] == str(products[0].id_author)
    listed = (await client.post("/api/internal/bundle/list", json={})).json()
    assert [item["id"] for item in listed["data"]] == [created["id"]]
    trail = await audit_rows(database, "bundle")
    assert [row.action for row in trail] == ["bundle.create"]
    assert trail[0].after["slug"] == "paket-hemat"


async def test_update_replaces_the_sets_and_is_audited(client, database, merchant):
    first, second, third = await make_products(database, 3)
    created = await _create(client, _body([first, second]))
    category = await _category(database)
    updated = await client.post(
        "/api/internal/bundle/update",
        json={
            "id": created["id"],
            "version": 1,
            "name": "Paket Baru",
            "products": [{"id_product": str(third.id), "qty": 2}],
            "categories": [category],
        },
    )
    assert updated.status_code == 200, updated.text
    data = updated.json()["data"]
    assert (data["name"], data["version"]) == ("Paket Baru", 2)
    assert [(i["id_product"], i["qty"]) for i in data["items"]] == [(str(third.id), 2)]
    assert [c["id"] for c in data["categories"]] == [category]
    stale = await client.post(
        "/api/internal/bundle/update", json={"id": created["id"], "version": 1, "name": "X"}
    )
    assert stale.status_code == 409
    trail = await audit_rows(database, "bundle")
    assert [row.action for row in trail] == ["bundle.create", "bundle.update"]
    assert trail[1].before["name"] == "Paket Hemat"
    assert trail[1].after["name"] == "Paket Baru"
    assert set(trail[1].after) == {"name", "items", "categories"}


async def test_product_rules(client, database, merchant):
    mine, draft = await make_products(database, 2)
    draft_id = draft.id
    (foreign,) = await make_products(database, 1)
    async with database.sessionmaker() as db:
        (await db.get(Product, draft_id)).status = "draft"
        await db.commit()
    cases = [
        _body([mine, foreign]),  # another author's product
        _body([mine, mine]),  # twice
        {**_body([mine]), "products": [{"id_product": str(uuid.uuid4())}]},
        {**_body([mine]), "products": [{"id_product": str(mine.id), "qty": 101}]},
        _body([mine, draft], status="published"),  # a draft product in a published bundle
        {**_body([mine]), "products": [], "status": "published"},
        _body([mine], categories=[str(uuid.uuid4())]),
        _body([mine], id_author=str(uuid.uuid4())),
        _body([mine], status="active"),
    ]
    for body in cases:
        response = await client.post("/api/internal/bundle/create", json=body)
        assert response.status_code == 422, (body, response.text)
    created = await _create(client, _body([mine, draft]))
    publish = await client.post(
        "/api/internal/bundle/update", json={"id": created["id"], "status": "published"}
    )
    assert publish.status_code == 422
    assert publish.json()["errors"][0]["message"].startswith("Bundel hanya dapat diterbitkan")
    assert [row.action for row in await audit_rows(database, "bundle")] == ["bundle.create"]


@pytest.mark.parametrize(
    "field", ["version", "created_at", "deleted_at", "currency", "id", "updated_at"]
)
async def test_server_owned_fields_are_422(client, database, merchant, field):
    products = await make_products(database, 1)
    body = _body(products, **{field: "2020-01-01T00:00:00Z" if "_at" in field else 2})
    response = await client.post("/api/internal/bundle/create", json=body)
    assert response.status_code == 422, response.text


async def test_update_refuses_null_for_required_fields_and_unknown_ids(client, database, merchant):
    products = await make_products(database, 1)
    created = await _create(client, _body(products))
    for field in ("name", "slug", "real_price", "status"):
        response = await client.post(
            "/api/internal/bundle/update", json={"id": created["id"], field: None}
        )
        assert response.status_code == 422, (field, response.text)
    missing = await client.post("/api/internal/bundle/update", json={"id": str(uuid.uuid4())})
    assert missing.status_code == 404
    assert missing.json()["message"] == "Paket tidak ditemukan"


async def test_slug_clash_is_409(client, database, merchant):
    products = await make_products(database, 1)
    await _create(client, _body(products))
    clash = await client.post("/api/internal/bundle/create", json=_body(products))
    assert clash.status_code == 409
    other = await _create(client, _body(products, slug="paket-lain"))
    taken = await client.post(
        "/api/internal/bundle/update", json={"id": other["id"], "slug": "paket-hemat"}
    )
    assert taken.status_code == 409


async def test_delete_is_soft_and_hard_only_without_sales(client, database, merchant):
    products = await make_products(database, 1)
    sold = await _create(client, _body(products))
    unsold = await _create(client, _body(products, slug="paket-dua"))
    await make_sale(database, bundle_id=uuid.UUID(sold["id"]))
    refused = await client.delete(f"/api/internal/bundle/{sold['id']}", params={"hard": "true"})
    assert refused.status_code == 409, refused.text
    assert (
        await client.post("/api/internal/bundle/delete", json={"id": sold["id"]})
    ).status_code == 200
    restored = await client.post("/api/internal/bundle/restore", json={"id": sold["id"]})
    assert restored.status_code == 200
    gone = await client.post("/api/internal/bundle/delete", json={"id": unsold["id"], "hard": True})
    assert gone.status_code == 200
    assert (await client.get("/api/internal/bundle/trash")).json()["data"] == []
    actions = [row.action for row in await audit_rows(database, "bundle")]
    assert actions == [
        "bundle.create",
        "bundle.create",
        "bundle.delete",
        "bundle.restore",
        "bundle.delete",
    ]


async def test_list_and_detail_statement_counts(client, database, merchant):
    products = await make_products(database, 3)
    category = await _category(database)
    ident = None
    for n in range(4):
        created = await _create(client, _body(products, slug=f"paket-{n}", categories=[category]))
        ident = created["id"]
    async with count_statements(database) as log:
        listed = (await client.get("/api/internal/bundle")).json()
    assert listed["pagination"]["total"] == 4
    assert log.count == 3, log.statements  # rows, count, authors
    async with count_statements(database) as log:
        detail = (await client.get(f"/api/internal/bundle/{ident}")).json()["data"]
    assert len(detail["items"]) == 3
    assert log.count == 4, log.statements  # the bundle, its author, items, categories


@pytest.mark.parametrize(
    ("roles", "write"),
    [
        (("management",), 201),
        (("sales_and_marketing",), 201),
        (("support",), 403),
        (("it",), 403),
    ],
)
async def test_roles(client, database, auth, roles, write):
    products = await make_products(database, 1)
    await sign_in_staff(database, auth, "management")
    created = await _create(client, _body(products, slug="paket-ada"))
    await sign_in_staff(database, auth, *roles)
    assert (await client.get("/api/internal/bundle")).status_code == 200
    assert (await client.post("/api/internal/bundle/list", json={})).status_code == 200
    assert (await client.get(f"/api/internal/bundle/{created['id']}")).status_code == 200
    assert (
        await client.post("/api/internal/bundle/get", json={"id": created["id"]})
    ).status_code == 200
    response = await client.post("/api/internal/bundle/create", json=_body(products))
    assert response.status_code == write
    change = await client.post(
        "/api/internal/bundle/update", json={"id": created["id"], "name": "Baru"}
    )
    assert change.status_code == (200 if write == 201 else 403)
    delete = await client.post("/api/internal/bundle/delete", json={"id": created["id"]})
    assert delete.status_code == (200 if write == 201 else 403)


@pytest.mark.parametrize(
    "patch",
    [
        {"name": "a\x00b"},
        {"real_price": "9" * 40},
        {"real_price": [1]},
        {"products": "semua"},
        {"products": [{"id_product": "bukan-uuid"}]},
        {"categories": [1]},
        {"info": "teks"},
        {"slug": "Bukan Slug"},
    ],
)
async def test_bad_input_is_a_clear_422(client, database, merchant, patch):
    products = await make_products(database, 1)
    response = await client.post(
        "/api/internal/bundle/create",
        json={**_body(products), **patch},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["success"] is False
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize("body", [{"action": "create"}, {"action": "update"}, {}])
async def test_the_action_url_names_its_verbs_for_create_and_update(
    client, database, merchant, body
):
    # Create and update carry products and categories: they are `bundle/create` and
    # `bundle/update`, not verbs of the action URL. Was a 404 "Bundel tidak ditemukan".
    products = await make_products(database, 1)
    response = await client.post(
        "/api/internal/bundle", json={**body, **_body(products)}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["loc"][-1] == "action"
    assert error["message"].startswith("Must be one of: list, get, delete")
    assert "create" not in error["message"]
