"""Every outcome leaves as the envelope with its real status; errors never leak internals."""

import logging

import orjson
import pytest

from rlib.envelope import PlainWire


async def test_success_wraps_a_plain_value(client):
    response = await client.post("/api/shop/item/create", json={"name": "Pena", "sku": "P-1"})
    body = response.json()
    assert response.status_code == 200
    assert body["success"] is True
    assert body["status"] == 200
    assert body["message"] == "Berhasil"
    assert body["data"]["name"] == "Pena"
    assert "pagination" not in body


async def test_page_adds_pagination(client):
    for index in range(3):
        await client.post("/api/shop/item/create", json={"name": f"n{index}", "sku": f"s{index}"})
    body = (await client.get("/api/shop/item/list", params={"page": 1, "limit": 2})).json()
    assert [item["name"] for item in body["data"]] == ["n0", "n1"]
    assert body["pagination"] == {"page": 1, "limit": 2, "total": 3, "totalPages": 2}


async def test_decimal_uuid_and_datetime_serialise(client):
    data = (await client.get("/api/shop/effect/types")).json()["data"]
    assert data == {
        "price": "12500.50",
        "id": "01900000-0000-7000-8000-000000000000",
        "at": "2026-01-02T03:04:05Z",
    }


@pytest.mark.parametrize(
    ("method", "path", "status", "code", "message"),
    [
        ("GET", "/nowhere", 404, "route_not_found", "Alamat tidak ditemukan"),
        (
            "DELETE",
            "/api/shop/item/create",
            405,
            "method_not_allowed",
            "Metode tidak diizinkan untuk alamat ini",
        ),
        (
            "POST",
            "/api/shop/item/mine",
            401,
            "unauthenticated",
            "Anda harus login untuk mengakses fitur ini",
        ),
        (
            "GET",
            "/api/shop/item/01900000-0000-7000-8000-000000000000",
            404,
            "not_found",
            "Barang tidak ditemukan",
        ),
    ],
)
async def test_errors_are_enveloped(client, method, path, status, code, message):
    response = await client.request(method, path)
    body = response.json()
    assert response.status_code == status
    assert body == {
        "success": False,
        "data": None,
        "message": message,
        "status": status,
        "code": code,
    }


async def test_method_not_allowed_lists_allowed_methods(client):
    response = await client.get("/api/shop/item/create")
    assert response.headers["allow"] == "POST"


async def test_validation_error_lists_fields(client):
    response = await client.post("/api/shop/item/create", json={"name": 5, "qty": "x", "zz": 1})
    body = response.json()
    assert response.status_code == 422
    assert body["code"] == "validation_error"
    fields = {error["field"]: error["message"] for error in body["errors"]}
    assert fields == {
        "name": "Harus berupa teks",
        "sku": "Wajib diisi",
        "qty": "Harus berupa bilangan bulat",
        "zz": "Field ini tidak dikenal",
    }


async def test_unhandled_exception_is_a_generic_500_with_request_id(client, caplog):
    with caplog.at_level(logging.ERROR, logger="rlib.runner"):
        response = await client.post("/api/shop/effect/crash", headers={"x-request-id": "req-42"})
    body = response.json()
    assert response.status_code == 500
    assert body["code"] == "internal_error"
    assert body["requestId"] == "req-42"
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    record = next(r for r in caplog.records if r.name == "rlib.runner")
    assert record.request_id == "req-42"  # type: ignore[attr-defined]
    assert record.exc_info is not None


async def test_every_response_carries_security_headers(client):
    for response in (await client.get("/api/health"), await client.get("/nowhere")):
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_plain_wire_renders_its_own_codes_and_statuses():
    wire = PlainWire(codes={"bad_credentials": "INVALID_EMAIL_OR_PASSWORD"}, statuses={"x": 400})
    body = orjson.loads(wire.error_body(code="bad_credentials", message="Salah"))
    assert body == {"code": "INVALID_EMAIL_OR_PASSWORD", "message": "Salah"}
    assert orjson.loads(wire.error_body(code="rate_limited", message="m"))["code"] == "RATE_LIMITED"
    assert (wire.status("x", 422), wire.status("y", 422)) == (400, 422)
    errors = [{"field": "email", "message": "Email tidak valid"}, {"field": "name", "message": "x"}]
    rendered = orjson.loads(wire.error_body(code="v", message="m", errors=errors, request_id="r"))
    assert (rendered["errors"], rendered["requestId"]) == (errors, "r")
    assert rendered["message"] == "Email tidak valid"  # what a better-auth client shows


async def test_an_endpoint_declared_created_answers_201(database):
    """``created=True``: the runner answers 201 and gen documents it (test_gen_openapi)."""
    from pydantic import BaseModel

    from rlib import Ctx, RlibConfig, create_app, define_api
    from rlib.registry import Domain, Registry
    from rlib.testing import app_client

    class Made(BaseModel):
        ok: bool

    async def made(ctx: Ctx) -> Made:
        return Made(ok=True)

    registry = Registry()
    endpoint = define_api(name="made", url="/made", handler=made, methods=("POST",), created=True)
    registry.add(Domain(name="x", prefix="/api/x", auth=frozenset({"public"})), [endpoint])
    app = create_app(config=RlibConfig(), registry=registry)
    app.use_database(database)
    async with app_client(app) as http:
        response = await http.post("/api/x/made", json={})
    assert response.status_code == 201
    assert response.json()["status"] == 201


@pytest.mark.parametrize("env", ["production", "development"])
async def test_production_answers_carry_hsts_whatever_made_them(database, env):
    """security.md H1: HSTS on every production answer — a match, a 404, a 405 alike."""
    from rlib import RlibConfig, create_app
    from rlib.registry import Registry
    from rlib.testing import app_client

    app = create_app(config=RlibConfig(env=env), registry=Registry())
    app.use_database(database)
    async with app_client(app) as http:
        answers = [await http.get("/api/health"), await http.get("/nowhere")]
    for answer in answers:
        if env == "production":
            assert answer.headers["strict-transport-security"] == (
                "max-age=31536000; includeSubDomains"
            )
        else:
            assert "strict-transport-security" not in answer.headers


def test_hsts_can_be_left_to_a_proxy():
    from rlib import RlibConfig

    assert RlibConfig(env="production", hsts_max_age_s=0).always_headers() == ()


async def test_every_error_answer_is_no_store(client):
    """security.md H1 / battery C9: a refusal made before the session was looked up (an
    oversized query) is never cached, nor is a 404 or a 405."""
    long_query = await client.get("/api/health", params={"q": "x" * 20_000})
    assert long_query.status_code == 413
    for response in (long_query, await client.get("/nowhere"), await client.put("/api/health")):
        assert response.headers["cache-control"] == "no-store", response.status_code
