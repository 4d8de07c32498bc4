"""Owner scope of products and bundles: who may see and act on whose rows, on every URL form.

The rows belong to one author. Another author and a publisher without an active link to that
author get answers byte-identical to an id that does not exist (and nothing changes); a customer
and staff are refused by user type (403); the publisher with an active link acts like the author.
No list, include, search or stat of a stranger holds the author's rows.
"""

import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select

from esensi.models.bundle import Bundle, BundleCategory, BundleProduct
from esensi.models.product import Product, ProductCategory
from factories import login_as, login_staff, make_author
from factories.catalogue import (
    link,
    make_bundle,
    make_category,
    make_customer,
    make_order,
    make_product,
    make_publisher,
)

P = "/api/publish/product"
B = "/api/publish/bundle"
SAME_ID = {"x-request-id": "scope-matrix"}
Form = tuple[str, str, dict | None]


def product_forms(ident: str) -> list[Form]:
    return [
        ("GET", f"{P}/{ident}", None),
        ("POST", f"{P}/get", {"id": ident}),
        ("POST", P, {"action": "get", "id": ident}),
        ("POST", f"{P}/detail", {"id": ident}),
        ("GET", f"{P}/detail?id={ident}", None),
        ("POST", f"{P}/update", {"id": ident, "real_price": "1000"}),
        ("POST", f"{P}/update", {"id": ident, "status": "paused", "version": 99}),
        ("POST", f"{P}/delete", {"id": ident}),
        ("POST", f"{P}/stats", {"id": ident}),
    ]


ANY_PRODUCT = str(uuid.uuid4())


def bundle_forms(ident: str) -> list[Form]:
    items = [{"id_product": ANY_PRODUCT}]
    return [
        ("GET", f"{B}/{ident}", None),
        ("POST", f"{B}/{ident}", {}),
        ("POST", B, {"action": "get", "id": ident}),
        ("POST", f"{B}/get", {"id": ident, "include": ["products", "categories", "sales"]}),
        ("GET", f"{B}/get?id={ident}", None),
        ("POST", f"{B}/update", {"id": ident, "name": "Diubah"}),
        ("POST", f"{B}/update", {"id": ident, "status": "paused", "version": 99}),
        ("POST", f"{B}/update", {"id": ident, "items": [], "categories": []}),
        ("POST", f"{B}/delete", {"id": ident}),
        ("POST", f"{B}/delete", {"id": ident, "hard": True}),
        ("DELETE", f"{B}/{ident}", None),
        ("POST", B, {"action": "delete", "id": ident}),
        ("POST", f"{B}/{ident}/restore", {}),
        ("POST", f"{B}/product/manage", {"id": ident, "action": "replace", "items": []}),
        ("POST", f"{B}/product/manage", {"id": ident, "action": "remove", "items": items}),
        ("POST", f"{B}/product/manage", {"id": ident, "action": "add", "items": items}),
        ("POST", f"{B}/category/manage", {"id": ident, "action": "replace", "categories": []}),
    ]


FORMS = {"product": product_forms, "bundle": bundle_forms}
LISTS: list[Form] = [
    ("POST", f"{P}/list", {}),
    ("GET", f"{P}?include=categories", None),
    ("POST", P, {"action": "list"}),
    ("GET", f"{P}/ids", None),
    ("POST", f"{B}/list", {"include": "items"}),
    ("GET", B, None),
    ("GET", f"{B}/ids", None),
    ("GET", f"{B}/trash", None),
    ("POST", f"{B}/search", {"sort": "-sales"}),
    ("POST", f"{B}/stats", {}),
]


@pytest.fixture
async def world(database):
    async with database.sessionmaker() as db:
        owner, stranger = await make_author(db, name="Pemilik"), await make_author(db)
        category = await make_category(db)
        product = await make_product(db, owner, category, real_price=Decimal(20_000))
        bundle = await make_bundle(db, owner, [product], category)
        await make_order(db, await make_customer(db), "paid", product, bundle)
        publishers = {}
        for status in ("invited", "declined", "active"):
            publishers[status] = await make_publisher(db, name=f"Penerbit {status}")
            await link(db, publishers[status], owner, status)
        publishers["unlinked"] = await make_publisher(db, name="Penerbit lain")
        await make_product(db, stranger)  # strangers have rows of their own
        await db.commit()
    return {
        "owner": owner,
        "stranger": stranger,
        "publishers": publishers,
        "product": str(product.id),
        "bundle": str(bundle.id),
    }


async def _snapshot(database) -> list:
    async with database.sessionmaker() as db:
        found = []
        for model in (Product, ProductCategory, Bundle, BundleProduct, BundleCategory):
            rows = await db.execute(select(model.__table__).order_by(*model.__table__.primary_key))
            found.append([dict(row) for row in rows.mappings()])
    return found


def _sign_in(auth, world, who: str) -> None:
    if who == "stranger":
        login_as(auth, uuid.uuid4(), author=world["stranger"].id)
    elif who.startswith("publisher:"):
        login_as(auth, uuid.uuid4(), publisher=world["publishers"][who.split(":")[1]].id)
    elif who == "customer":
        login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    elif who == "staff":
        login_staff(auth, "management", "support", "it", "sales_and_marketing")
    else:
        auth.user = None


async def _call(client, form: Form):
    method, url, body = form
    return await client.request(method, url, json=body, headers=SAME_ID)


STRANGERS = ["stranger", "publisher:unlinked", "publisher:invited", "publisher:declined"]


@pytest.mark.parametrize("resource", sorted(FORMS))
@pytest.mark.parametrize("who", STRANGERS)
async def test_strangers_meet_a_missing_id_and_change_nothing(
    client, auth, world, database, who, resource
):
    _sign_in(auth, world, who)
    before = await _snapshot(database)
    forms = FORMS[resource](world[resource])
    twins = FORMS[resource](str(uuid.uuid4()))
    for form, twin in zip(forms, twins, strict=True):
        response, missing = await _call(client, form), await _call(client, twin)
        assert response.status_code == 404, (form, response.text)
        assert response.content == missing.content, form
    assert await _snapshot(database) == before


@pytest.mark.parametrize(("who", "status"), [("customer", 403), ("staff", 403), ("anon", 401)])
@pytest.mark.parametrize("resource", sorted(FORMS))
async def test_other_user_types_are_refused(client, auth, world, database, who, status, resource):
    _sign_in(auth, world, who)
    before = await _snapshot(database)
    for form in [*FORMS[resource](world[resource]), *LISTS]:
        response = await _call(client, form)
        assert response.status_code == status, (form, response.text)
    assert await _snapshot(database) == before


@pytest.mark.parametrize("who", STRANGERS)
async def test_no_list_of_a_stranger_holds_the_owners_rows(client, auth, world, who):
    _sign_in(auth, world, who)
    owned = {world["product"], world["bundle"]}
    for form in LISTS:
        response = await _call(client, form)
        assert response.status_code == 200, (form, response.text)
        assert not owned & set(_ids(response.json()["data"])), form


def _ids(data) -> list[str]:
    if isinstance(data, dict):
        data = data.get("bundles", data.get("items", []))
    return [item["id"] if isinstance(item, dict) else item for item in data]


async def test_the_publisher_with_an_active_link_acts_like_the_author(client, auth, world):
    _sign_in(auth, world, "publisher:active")
    product = world["product"]
    detail = await client.post(f"{P}/detail", json={"id": product})
    assert detail.status_code == 200, detail.text
    listed = (await client.post(f"{P}/list", json={})).json()["data"]
    assert [item["id"] for item in listed] == [product]
    stats = await client.post(f"{P}/stats", json={"id": product})
    assert stats.json()["data"]["sold_alone"] == 1
    update = await client.post(f"{P}/update", json={"id": product, "real_price": "15000"})
    assert update.status_code == 200, update.text
    bundle = world["bundle"]
    found = await client.post(f"{B}/get", json={"id": bundle, "include": ["sales"]})
    assert len(found.json()["data"]["sales"]) == 1
    hits = (await client.post(f"{B}/search", json={})).json()["data"]
    assert [hit["id"] for hit in hits] == [bundle]
    stats = (await client.post(f"{B}/stats", json={})).json()["data"]
    assert [row["id"] for row in stats["bundles"]] == [bundle]
    detail = (await client.post(f"{P}/detail", json={"id": product})).json()["data"]
    assert [b["id"] for b in detail["bundles"]] == [bundle]


async def test_a_strangers_product_detail_and_stats_hold_no_foreign_bundle(
    client, auth, world, database
):
    async with database.sessionmaker() as db:
        # the stranger's own product, sitting in the owner's bundle (as imported data might)
        theirs = await make_product(db, world["stranger"])
        db.add(BundleProduct(id_bundle=uuid.UUID(world["bundle"]), id_product=theirs.id))
        await db.commit()
    _sign_in(auth, world, "stranger")
    detail = (await client.post(f"{P}/detail", json={"id": str(theirs.id)})).json()["data"]
    assert detail["bundles"] == []
