"""Bad input is a 4xx in the envelope, never a 500, on every backend."""

import orjson
import pytest

from fixture_apps.factory import make_shop_app
from fixture_apps.shop.models import Base
from rlib import LimitsConfig
from rlib.testing import app_client

MIB = 1024 * 1024


async def test_declared_body_over_the_limit_is_refused(client):
    response = await client.post(
        "/api/shop/effect/echo",
        content=b"{" + b" " * MIB + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


async def test_chunked_body_over_the_limit_is_refused(client):
    async def chunks():
        yield b'{"data": "'
        for _ in range(17):
            yield b"x" * 65536
        yield b'"}'

    response = await client.post(
        "/api/shop/effect/echo", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_lying_content_length_is_counted(database):
    app = make_shop_app(database)
    sent: list[dict] = []
    messages = [
        {"type": "http.request", "body": b'{"data": "' + b"x" * 600_000, "more_body": True},
        {"type": "http.request", "body": b"x" * 600_000 + b'"}', "more_body": False},
    ]

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/shop/effect/echo",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"10")],
    }
    await app(scope, receive, send)
    assert sent[0]["status"] == 413


async def test_body_limit_is_configurable(database):
    app = make_shop_app(database, limits=LimitsConfig(max_body_bytes=64))
    async with app_client(app) as client:
        response = await client.post("/api/shop/effect/echo", json={"data": "x" * 100})
    assert response.status_code == 413


async def test_non_json_content_type_is_415(client):
    response = await client.post(
        "/api/shop/effect/echo",
        content=b"data=1",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    ("content", "key"),
    [(b'{"data": ', "bad_request"), (b'{"data": "\xff\xfe"}', "bad_request")],
)
async def test_malformed_json_and_invalid_utf8_are_400(client, content, key):
    response = await client.post(
        "/api/shop/effect/echo", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == key


async def test_invalid_utf8_has_its_own_message(client):
    response = await client.post(
        "/api/shop/effect/echo",
        content=b'{"data": "\xff"}',
        headers={"content-type": "application/json"},
    )
    assert response.json()["message"] == "Isi permintaan bukan teks UTF-8 yang valid."


def _nested(depth: int) -> bytes:
    return b'{"data": ' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"


@pytest.mark.parametrize("depth", [65, 1000, 5000])
async def test_json_deeper_than_64_is_422(client, depth):
    response = await client.post(
        "/api/shop/effect/echo",
        content=_nested(depth),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["type"] == "too_deep"


async def test_json_of_depth_64_is_accepted(client):
    response = await client.post(
        "/api/shop/effect/echo", content=_nested(64), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200


async def test_nul_byte_in_a_string_is_422_naming_the_field(client):
    response = await client.post("/api/shop/effect/echo", json={"data": {"note": "a\x00b"}})
    body = response.json()
    assert response.status_code == 422
    assert body["errors"][0]["field"] == "data.note"
    assert body["errors"][0]["message"] == "Tidak boleh mengandung karakter NUL"


async def test_nul_byte_in_a_query_value_is_422(client):
    response = await client.get("/api/shop/item/list", params={"page": "1\x00"})
    assert response.status_code == 422


async def test_string_longer_than_its_column_is_422(client):
    response = await client.post("/api/shop/item/create", json={"name": "x" * 11, "sku": "s"})
    body = response.json()
    assert response.status_code == 422
    assert body["errors"][0]["field"] == "name"
    assert body["errors"][0]["message"] == "Maksimal 10 karakter"


@pytest.mark.parametrize("qty", [2**31, -(2**31) - 1, 10**30])
async def test_integer_beyond_its_column_is_422(client, qty):
    response = await client.post(
        "/api/shop/item/create",
        content=orjson.dumps({"name": "n", "sku": "s", "qty": qty})
        if qty < 2**63
        else b'{"name": "n", "sku": "s", "qty": ' + str(qty).encode() + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Angka di luar rentang yang diizinkan"


async def test_query_string_over_8_kib_is_413(client):
    response = await client.get("/api/shop/item/list", params={"x": "a" * 9000})
    assert response.status_code == 413


async def test_one_element_array_body_is_the_object(client):
    response = await client.post("/api/shop/item/create", json=[{"name": "Pena", "sku": "A"}])
    assert response.status_code == 200
    assert response.json()["data"]["sku"] == "A"


@pytest.mark.parametrize("body", [[1, 2], "text", [{"a": 1}, {"b": 2}], 5])
async def test_body_that_is_not_an_object_is_422(client, body):
    response = await client.post("/api/shop/effect/echo", json=body)
    assert response.status_code == 422


def test_fixture_metadata_is_shared():
    assert "item" in Base.metadata.tables
