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
    assert codes(get, 404) == ["not_found"]
    assert get["parameters"][0] == {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    assert "413" not in get["responses"]


def test_declared_errors_carry_their_codes():
    ops = operations(document())
    assert codes(ops["root.ready"][2], 503) == ["service_unavailable"]
    assert codes(ops["auth.sign_in_email"][2], 429) == ["rate_limited"]
    assert "429" not in ops["auth.sign_out"][2]["responses"]
    update = ops["library.novel_update"][2]
    assert codes(update, 409) == ["stale_version", "unique_violation"]
    assert codes(update, 404) == ["not_found"]
    assert update["x-rlib-crud"] == {"resource": "novel", "action": "update"}
    assert codes(ops["library.novel_delete"][2], 409) == ["delete_blocked", "stale_version"]
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
