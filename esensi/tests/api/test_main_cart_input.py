"""Hostile or malformed cart input is a 4xx in the envelope, never a 500, on both databases."""

import uuid

import orjson
import pytest
from cart_helpers import add, open_shop

from factories import login_as

BAD_BODIES = [
    ("/api/cart/add", {"id_product": 5}),
    ("/api/cart/add", {"id_product": "not-a-uuid"}),
    ("/api/cart/add", {"id_bundle": [1]}),
    ("/api/cart/add", {}),
    ("/api/cart/add", {"id_product": str(uuid.uuid4()), "id_bundle": str(uuid.uuid4())}),
    ("/api/cart/add", {"id_bundle": str(uuid.uuid4()), "qty": 10**30}),
    ("/api/cart/add", {"id_bundle": str(uuid.uuid4()), "qty": 0}),
    ("/api/cart/add", {"id_bundle": str(uuid.uuid4()), "qty": 1.5}),
    ("/api/cart/add", {"id_bundle": str(uuid.uuid4()), "qty": "x"}),
    ("/api/cart/add", {"id_product": str(uuid.uuid4()), "price": 1}),
    ("/api/cart/update", {"id_line": str(uuid.uuid4()), "qty": 11}),
    ("/api/cart/update", {"id_line": str(uuid.uuid4()), "qty": -(10**20)}),
    ("/api/cart/update", {"id_line": {"a": 1}, "qty": 1}),
    ("/api/cart/update", {"id_line": str(uuid.uuid4())}),
    ("/api/cart/remove", {"ids": []}),
    ("/api/cart/remove", {"ids": "abc"}),
    ("/api/cart/remove", {"ids": [str(uuid.uuid4())] * 51}),
    ("/api/cart/remove", {"ids": [True]}),
    ("/api/cart/promo", {}),
    ("/api/cart/promo", {"code": 5}),
    ("/api/cart/promo", {"code": ""}),
    ("/api/cart/promo", {"code": "X" * 65}),
    ("/api/cart/promo", {"code": ["HEMAT10"]}),
]


@pytest.mark.parametrize(("url", "body"), BAD_BODIES)
async def test_malformed_bodies_are_422(client, database, auth, url, body):
    await open_shop(database, auth)
    response = await client.post(url, json=body)
    assert response.status_code == 422, response.json()
    assert response.json()["success"] is False


@pytest.mark.parametrize("url", ["/api/cart/promo", "/api/cart/add"])
async def test_a_nul_byte_is_422(client, database, auth, url):
    await open_shop(database, auth)
    body = {"code": "HEMAT\x0010"} if url.endswith("promo") else {"id_product": "a\x00b"}
    response = await client.post(
        url, content=orjson.dumps(body), headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.json()


async def test_malformed_json_is_400(client, database, auth):
    await open_shop(database, auth)
    response = await client.post(
        "/api/cart/add", content=b"{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/cart"),
        ("POST", "/api/cart/add"),
        ("POST", "/api/cart/update"),
        ("POST", "/api/cart/remove"),
        ("POST", "/api/cart/promo"),
    ],
)
async def test_the_cart_needs_a_signed_in_customer(client, database, auth, method, url):
    await open_shop(database, auth)
    auth.user = None
    assert (await client.request(method, url, json={})).status_code == 401
    login_as(auth, uuid.uuid4(), author=uuid.uuid4())
    assert (await client.request(method, url, json={})).status_code == 403


async def test_a_client_price_is_refused_not_used(client, database, auth):
    shop = await open_shop(database, auth)
    response = await client.post(
        "/api/cart/add", json={"id_product": str(shop.novel.id), "unit_price": "1"}
    )
    assert response.status_code == 422
    assert (await add(client, shop.novel)).json()["data"]["total"] == "50000.00"
