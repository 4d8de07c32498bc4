"""Bad input is a 4xx in the envelope, never a 500, on every backend."""

import base64
import os

import orjson
import pytest
from pydantic import BaseModel

from fixture_apps.factory import make_shop_app
from fixture_apps.keyed.models import Base as KeyedBase
from fixture_apps.shop.models import Base
from rlib import Catalogue, Ctx, LimitsConfig, Registry, RlibConfig, create_app, define_api
from rlib.testing import app_client, fresh_database, sqlite_url

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")

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


# -- keys, path parameters, paging and JSON numbers: refused before the database ----------


@pytest.fixture
async def keyed(backend, tmp_path):
    """A client on the keyed fixture app (a string-keyed resource with a JSON column)."""
    url = sqlite_url(tmp_path) if backend == "sqlite" else str(PG_URL)
    async with fresh_database(url, KeyedBase.metadata) as db:
        app = create_app(
            config=RlibConfig(),
            registry=Registry().discover("fixture_apps.keyed"),
            catalogue=Catalogue(),
            metadata=KeyedBase.metadata,
        )
        app.use_database(db)
        async with app_client(app) as http:
            created = await http.post("/api/keyed/setting/create", json={"key": "a", "value": "v"})
            assert created.status_code == 201
            yield http


WRONG_KEYS = [5, True, [1], {"a": 1}, 1.5]
KEY_URLS = [
    ("/api/keyed/setting/get", {}),
    ("/api/keyed/setting/update", {"value": "w"}),
    ("/api/keyed/setting/delete", {}),
    ("/api/keyed/setting", {"action": "get"}),
    ("/api/keyed/setting", {"action": "update", "value": "w"}),
    ("/api/keyed/setting", {"action": "delete"}),
]


@pytest.mark.parametrize("key", WRONG_KEYS)
@pytest.mark.parametrize(("url", "extra"), KEY_URLS)
@pytest.mark.parametrize("field", ["key", "id"])
async def test_key_of_the_wrong_json_type_is_422(keyed, url, extra, field, key):
    response = await keyed.post(url, json={field: key, **extra})
    body = response.json()
    assert response.status_code == 422, body
    assert body["errors"][0]["field"] == "id"
    assert body["errors"][0]["message"] == "Harus berupa teks"


@pytest.mark.parametrize(
    ("key", "message"),
    [("a\x00", "Tidak boleh mengandung karakter NUL"), ("k" * 17, "Maksimal 16 karakter")],
)
@pytest.mark.parametrize(("url", "extra"), KEY_URLS)
async def test_key_with_nul_or_longer_than_its_column_is_422(keyed, url, extra, key, message):
    response = await keyed.post(
        url,
        content=orjson.dumps({"key": key, **extra}),
        headers={"content-type": "application/json"},
    )
    body = response.json()
    assert response.status_code == 422, body
    assert body["errors"][0]["message"] == message


@pytest.mark.parametrize("path", ["a%00b", "k" * 17])
@pytest.mark.parametrize("method", ["get", "delete"])
async def test_path_key_with_nul_or_too_long_is_422(keyed, path, method):
    response = await getattr(keyed, method)(f"/api/keyed/setting/{path}")
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "validation_error"


async def test_nul_in_a_path_parameter_of_a_hand_written_endpoint_is_422(client):
    response = await client.get("/api/shop/effect/echo-path/a%00b")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["path", "word"]


@pytest.mark.parametrize(
    "filters",
    [{"key": "k" * 17}, {"key": 5}, {"key__in": ["a", "k" * 17]}, {"key__contains": "k" * 300}],
)
async def test_filter_value_the_column_would_refuse_is_4xx(keyed, filters):
    response = await keyed.post("/api/keyed/setting/list", json={"filters": filters})
    assert 400 <= response.status_code < 500, response.text


async def test_good_key_still_reads(keyed):
    assert (await keyed.get("/api/keyed/setting/a")).json()["data"]["value"] == "v"
    assert (await keyed.post("/api/keyed/setting/get", json={"key": "a"})).status_code == 200


@pytest.mark.parametrize("page", ["922337203685477581", "1000001", "99999999999999999999999"])
@pytest.mark.parametrize("url", ["/api/shop/item/list", "/api/keyed/setting"])
async def test_page_number_past_the_one_bound_is_422(client, keyed, url, page):
    http = client if url.startswith("/api/shop") else keyed
    response = await http.get(url, params={"page": page})
    body = response.json()
    assert response.status_code == 422, body
    assert body["errors"][0]["field"] == "page"


async def test_page_size_past_the_bound_is_422(client):
    response = await client.get("/api/shop/item/list", params={"limit": "10001"})
    assert response.status_code == 422


def test_a_list_input_without_a_page_bound_is_refused_at_declaration():
    class Unbounded(BaseModel):
        page: int = 1

    async def handler(ctx: Ctx, payload: Unbounded) -> None: ...

    with pytest.raises(TypeError, match=r"Unbounded\.page needs an upper bound"):
        define_api(name="thing_list", url="/thing/list", handler=handler)


@pytest.mark.parametrize(
    "number",
    [
        b"1e308",
        b"99999999999999999999",
        b"-9223372036854775809",
        b"9223372036854775808",
        b"18446744073709551615",
        b"1E+19",
        b"-1e19",
    ],
)
async def test_number_outside_64_bits_in_a_json_column_is_422(keyed, number):
    response = await keyed.post(
        "/api/keyed/setting/create",
        content=b'{"key": "n", "value": "v", "info": {"deep": [' + number + b"]}}",
        headers={"content-type": "application/json"},
    )
    body = response.json()
    assert response.status_code == 422, body
    assert body["errors"][0]["field"] == "info.deep.0"
    assert body["errors"][0]["message"] == "Angka di luar rentang yang diizinkan"
    assert (await keyed.get("/api/keyed/setting/n")).status_code == 404


@pytest.mark.parametrize(
    "number", [b"9223372036854775807", b"-9223372036854775808", b"1e18", b"1.5e-300", b"2.5"]
)
async def test_number_inside_64_bits_round_trips_through_a_json_column(keyed, number):
    response = await keyed.post(
        "/api/keyed/setting/create",
        content=b'{"key": "n", "value": "v", "info": {"x": ' + number + b"}}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 201, response.text
    got = await keyed.get("/api/keyed/setting/n")
    assert got.status_code == 200
    assert got.json()["data"]["info"]["x"] == orjson.loads(number)


async def test_a_server_error_is_never_cached(client):
    response = await client.post("/api/shop/effect/crash")
    assert response.status_code == 500
    assert response.headers["cache-control"] == "no-store"


async def test_a_service_unavailable_answer_is_never_cached(client):
    response = await client.post("/api/shop/effect/unavailable")
    assert response.status_code == 503
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["retry-after"] == "1"


@pytest.mark.parametrize("value", ["k" * 17, 5, "a\u0000"])
async def test_a_tampered_cursor_is_422(keyed, value):
    cursor = base64.urlsafe_b64encode(orjson.dumps([value])).decode()
    response = await keyed.post("/api/keyed/setting/list", json={"cursor": cursor})
    assert response.status_code == 422, response.text


async def test_an_oversized_head_is_refused_before_the_session_is_looked_up(database):
    looked_up: list[str] = []

    async def authenticator(ctx: Ctx, route: object) -> None:
        looked_up.append(ctx.endpoint_name)  # in production: a database round trip

    app = make_shop_app(database, authenticator=authenticator)
    async with app_client(app) as client:
        body = await client.post(
            "/api/shop/effect/echo",
            content=b"{" + b" " * MIB + b"}",
            headers={"content-type": "application/json"},
        )
        query = await client.get("/api/shop/item/list", params={"x": "a" * 9000})
        fine = await client.post("/api/shop/effect/echo", json={"data": "x"})
    assert (body.status_code, query.status_code) == (413, 413)
    assert fine.status_code == 200
    assert looked_up == ["effect_echo"]  # only the request that passed its head
