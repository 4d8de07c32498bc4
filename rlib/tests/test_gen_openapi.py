"""The OpenAPI document built from a fixture registry (shop, library CRUD, health, auth)."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel

from rlib import Ctx, HostsConfig, Registry, define_api
from rlib.auth.routes import install_auth
from rlib.gen.openapi import build_openapi
from rlib.health import add_builtins
from rlib.registry import Domain


def fixture_registry() -> Registry:
    return install_auth(
        add_builtins(Registry().discover("fixture_apps.shop", "fixture_apps.library"))
    )


def document(**options: Any) -> dict[str, Any]:
    return build_openapi(fixture_registry(), title="fixture", version="1", **options)


def operations(doc: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (method, path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
    }


def codes(op: dict[str, Any], status: int) -> list[str]:
    schema = op["responses"][str(status)]["content"]["application/json"]["schema"]
    return list(schema["allOf"][1]["properties"]["code"]["enum"])


def test_the_document_is_valid_openapi_3_1_and_names_every_endpoint():
    doc = document()
    validate(doc)  # raises on any violation of the 3.1 schema (unique operation ids included)
    assert doc["openapi"] == "3.1.0"
    ops = operations(doc)
    registry = fixture_registry()
    for domain, endpoint in registry.all():
        assert f"{domain.name}.{endpoint.name}" in ops
    assert {"shop.item_list", "library.novel_get", "root.health", "auth.sign_in_email"} <= set(ops)
    assert [tag["name"] for tag in doc["tags"]] == ["auth", "library", "root", "shop"]


def test_a_page_has_typed_items_and_pagination():
    method, path, op = operations(document())["shop.item_list"]
    assert (method, path) == ("get", "/api/shop/item/list")
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert "pagination" in schema["required"]
    assert schema["properties"]["data"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/ItemOut"},
    }
    assert {p["name"] for p in op["parameters"]} == {"page", "limit"}
    second = operations(document())["shop.item_list.2"]
    assert second[0] == "post"
    assert second[2]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ItemQuery"
    }


def test_framework_errors_apply_where_they_can_happen():
    ops = operations(document())
    create = ops["shop.item_create"][2]
    assert {"413", "415", "422", "400"} <= set(create["responses"])
    assert "401" not in create["responses"]
    assert "security" not in create
    mine = ops["shop.item_mine"][2]
    assert codes(mine, 401) == ["unauthenticated"]
    assert codes(mine, 403) == ["forbidden"]
    assert mine["security"] == [{"session": []}, {"bearer": []}]
    get = ops["shop.item_get"][2]
    assert codes(get, 404) == ["not_found", "route_not_found"]
    assert get["parameters"][0] == {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    assert codes(get, 413) == ["payload_too_large"]  # a query string over the limit
    assert "409" not in get["responses"]  # a read writes nothing unique


def test_declared_errors_carry_their_codes():
    ops = operations(document())
    assert codes(ops["root.ready"][2], 503) == ["service_unavailable"]
    assert codes(ops["auth.sign_in_email"][2], 429) == ["TOO_MANY_REQUESTS"]
    assert "429" not in ops["auth.sign_out"][2]["responses"]
    update = ops["library.novel_update"][2]
    assert codes(update, 409) == ["stale_version", "unique_violation"]
    assert codes(update, 404) == ["not_found", "route_not_found"]
    assert update["x-rlib-crud"] == {"resource": "novel", "action": "update"}
    assert codes(ops["library.novel_delete"][2], 409) == [
        "delete_blocked",
        "stale_version",
        "unique_violation",
    ]
    dispatcher = ops["library.novel"][2]
    assert "201" in dispatcher["responses"]


def test_tags_name_the_domain_host_and_the_document_can_hold_one_domain():
    doc = document(domains={"shop"})
    validate(doc)
    assert {op_id.split(".")[0] for op_id in operations(doc)} == {"shop"}
    assert doc["tags"] == [
        {
            "name": "shop",
            "description": "The shop domain (/api/shop).",
            "x-rlib-host-key": None,
            "x-rlib-unhosted-prefix": "",
        }
    ]
    security = document()["components"]["securitySchemes"]
    assert security["session"]["in"] == "cookie"
    assert security["bearer"]["scheme"] == "bearer"


class Nothing(BaseModel):
    pass


async def _hidden(ctx: Ctx) -> Nothing:
    return Nothing()


def test_an_undocumented_endpoint_stays_out():
    registry = Registry()
    registry.add(
        Domain(name="x", auth=frozenset({"public"})),
        [
            define_api(name="seen", url="/seen", handler=_hidden),
            define_api(name="unseen", url="/unseen", handler=_hidden, documented=False),
        ],
    )
    doc = build_openapi(registry, title="x", version="1")
    assert set(operations(doc)) == {"x.seen"}


def test_errors_must_be_rlib_errors():
    with pytest.raises(TypeError, match="RlibError subclasses"):
        define_api(name="bad", url="/bad", handler=_hidden, errors=(ValueError,))


def test_the_dispatcher_body_is_one_of_the_actions_or_a_create():
    doc = document()
    body = operations(doc)["library.novel"][2]["requestBody"]
    assert body["required"] is True
    variants = body["content"]["application/json"]["schema"]["anyOf"]
    actions = [v["allOf"][0]["properties"]["action"]["const"] for v in variants if "allOf" in v]
    assert {"list", "get", "update", "delete"} <= set(actions)
    assert "create" not in actions
    assert variants[-1] == {"$ref": "#/components/schemas/NovelCreate"}
    listing = next(v for v in variants if v.get("title") == "list")
    assert listing["allOf"][1] == {"$ref": "#/components/schemas/ListInput"}


def test_a_host_map_names_the_hosts_of_each_hosted_domain():
    registry = Registry()
    source = Registry().discover("fixture_apps.shop")
    registry.add(
        Domain(name="store", host_key="main", auth=frozenset({"public"})),
        [source.endpoints["shop"]["item_list"]],
    )
    hosts = HostsConfig(hosts={"store.example": "main", "www.store.example": "main"})
    (tag,) = build_openapi(registry, title="x", version="1", hosts=hosts)["tags"]
    assert tag["x-rlib-hosts"] == ["store.example", "www.store.example"]
    assert tag["x-rlib-host-key"] == "main"
    (plain,) = build_openapi(registry, title="x", version="1")["tags"]
    assert "x-rlib-hosts" not in plain


def test_a_route_on_another_wire_documents_its_bare_bodies_codes_and_statuses():
    """Contract fuzzing (issue 19) found the better-auth routes documented as enveloped: their
    200 is the result itself, their errors ``{code, message}`` with the wire's codes and
    statuses (a validation error is 400 ``VALIDATION_ERROR`` there)."""
    doc = document()
    op = operations(doc)["auth.sign_in_email"][2]
    ok = op["responses"]["200"]["content"]["application/json"]["schema"]
    assert "success" not in str(ok)
    assert codes(op, 400) == ["BAD_REQUEST", "NOT_FOUND", "VALIDATION_ERROR"]
    assert codes(op, 401) == ["INVALID_EMAIL_OR_PASSWORD"]
    assert "422" not in op["responses"]
    error = op["responses"]["400"]["content"]["application/json"]["schema"]["allOf"][0]
    assert error == {"$ref": "#/components/schemas/PlainError"}
    assert doc["components"]["schemas"]["PlainError"]["required"] == ["code", "message"]
    reset = operations(doc)["auth.request_password_reset"][2]
    assert codes(reset, 429) == ["TOO_MANY_REQUESTS"]
    assert codes(operations(doc)["auth.delete_user"][2], 409) == [
        "ACCOUNT_UNDELETABLE",
        "UNIQUE_VIOLATION",
    ]


def test_every_operation_documents_not_found_and_a_body_its_validation_error():
    """A handler may miss a row it reads (404 ``not_found``); a path parameter the router
    refuses answers 404 ``route_not_found``; any body can fail to parse (422)."""
    ops = operations(document())
    for op_id, (method, path, op) in ops.items():
        plain = "400" in op["responses"] and "NOT_FOUND" in codes(op, 400)
        assert plain or "not_found" in codes(op, 404), op_id
        if "{" in path and not plain:
            assert "route_not_found" in codes(op, 404), op_id
        if method != "get":
            assert "422" in op["responses"] or "400" in op["responses"], op_id


def test_create_answers_201_on_every_url_form():
    ops = operations(document())
    create = ops["library.novel_create"][2]["responses"]
    assert "201" in create
    assert "200" not in create


def test_a_decimal_documents_its_digits():
    """Contract fuzzing (issue 19): pydantic documents an input Decimal as any number or any
    string, so ``"abc"`` and ``0.123`` looked like valid money the app refuses (422)."""
    from decimal import Decimal
    from typing import Annotated

    from pydantic import Field, TypeAdapter

    from rlib.gen.schemas import _Generator

    money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
    number, text = TypeAdapter(money).json_schema(schema_generator=_Generator)["anyOf"]
    assert number == {
        "type": "number",
        "minimum": 0.0,
        "multipleOf": 0.01,
        "exclusiveMaximum": 10**16,
    }
    assert text == {"type": "string", "pattern": r"^\d{1,16}(\.\d{1,2})?$"}
    positive = Annotated[Decimal, Field(gt=0, decimal_places=2)]
    assert TypeAdapter(positive).json_schema(schema_generator=_Generator) == {
        "anyOf": [{"type": "number", "exclusiveMinimum": 0.0, "multipleOf": 0.01}]
    }
    plain = TypeAdapter(Decimal).json_schema(schema_generator=_Generator)
    assert plain == {"anyOf": [{"type": "number"}, {"type": "string"}]}


async def _made(ctx: Ctx) -> Nothing:
    return Nothing()


def test_an_endpoint_declared_created_documents_201():
    registry = Registry()
    made = define_api(name="made", url="/made", handler=_made, methods=("POST",), created=True)
    registry.add(Domain(name="x", auth=frozenset({"public"})), [made])
    responses = operations(build_openapi(registry, title="x", version="1"))["x.made"][2]
    assert "201" in responses["responses"]
    assert "200" not in responses["responses"]
