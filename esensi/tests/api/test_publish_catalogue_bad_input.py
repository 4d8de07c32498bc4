"""Hostile input to the product and bundle endpoints: a clear 4xx, never a 500, on both DBs."""

import uuid

import orjson
import pytest

from factories import login_as, make_author
from factories.catalogue import make_bundle, make_product

B = "/api/publish/bundle"
P = "/api/publish/product"
HOSTILE_VALUES = [5, True, [1], {"a": 1}, "x\u0000y", "k" * 300, 10**30, -(10**30), None, 1e308]
ID_ENDPOINTS = [
    f"{P}/detail",
    f"{P}/update",
    f"{P}/delete",
    f"{P}/stats",
    f"{B}/get",
    f"{B}/update",
    f"{B}/product/manage",
    f"{B}/category/manage",
]


@pytest.fixture
async def owned(database, auth):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        product = await make_product(db, author)
        bundle = await make_bundle(db, author, [product])
        await db.commit()
    login_as(auth, uuid.uuid4(), author=author.id)
    return {"product": str(product.id), "bundle": str(bundle.id)}


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize("url", ID_ENDPOINTS)
async def test_an_id_of_the_wrong_shape_is_422(client, owned, url, value):
    response = await client.post(url, json={"id": value, "action": "add", "items": []})
    assert response.status_code == 422, response.text
    assert response.json()["success"] is False


@pytest.mark.parametrize("value", HOSTILE_VALUES)
@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{P}/update", "real_price"),
        (f"{P}/update", "strike_price"),
        (f"{P}/update", "categories"),
        (f"{B}/update", "real_price"),
        (f"{B}/update", "slug"),
        (f"{B}/update", "items"),
        (f"{B}/update", "status"),
        (f"{B}/search", "statuses"),
        (f"{B}/search", "price_min"),
        (f"{B}/search", "page"),
        (f"{B}/search", "limit"),
        (f"{B}/stats", "from"),
        (f"{B}/stats", "ids"),
        (f"{B}/product/manage", "items"),
        (f"{B}/category/manage", "categories"),
    ],
)
async def test_no_field_value_is_a_500(client, owned, url, field, value):
    kind = "product" if url.startswith(P) else "bundle"
    body = {"id": owned[kind], "action": "replace", "items": [], "categories": [], field: value}
    if url.endswith(("search", "stats")):
        body = {field: value}
    response = await client.post(url, json=body)
    # some are valid (a null optional, page 5, a Unix time): never a 500, always the envelope
    assert response.status_code < 500, (field, value, response.text)
    assert response.json()["success"] is (response.status_code < 400)


@pytest.mark.parametrize("number", [b"1e400", b"99999999999999999999", b"-9223372036854775809"])
async def test_bundle_info_number_outside_64_bits_is_refused(client, owned, number):
    body = b'{"name": "P", "slug": "p", "real_price": 1, "info": {"n": ' + number + b"}}"
    response = await client.post(
        f"{B}/create", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code in (400, 422), response.text


async def test_text_searches_longer_than_columns_or_with_wildcards_are_answered(client, owned):
    for url, body in [
        (f"{B}/search", {"search": "%_\\" * 66}),
        (f"{B}/list", {"search": "k" * 200}),
        (f"{P}/list", {"search": "k" * 200}),
    ]:
        response = await client.post(url, json=body)
        assert response.status_code == 200, (url, response.text)
        assert response.json()["data"] == []


async def test_a_body_wrapped_in_a_one_element_array_is_accepted(client, owned):
    response = await client.post(
        f"{P}/detail",
        content=orjson.dumps([{"id": owned["product"]}]),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 200, response.text


async def test_errors_speak_english_when_asked(client, owned):
    response = await client.post(
        f"{B}/get", json={"id": str(uuid.uuid4())}, headers={"accept-language": "en"}
    )
    assert response.status_code == 404
    assert response.json()["message"] == "Bundle not found"
    indonesian = await client.post(f"{P}/detail", json={"id": str(uuid.uuid4())})
    assert indonesian.json()["message"] == "Produk tidak ditemukan"
