"""The OpenAPI document describes what the HTTP edge adds (ADR 0038): ETag, Cache-Control and
the 304 of an endpoint declared with ``cache=``, the HTML shell of one declared ``page=True``."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

from rlib import Registry
from rlib.gen.openapi import build_openapi


def _ops() -> dict[str, tuple[str, dict[str, Any]]]:
    doc = build_openapi(Registry().discover("fixture_apps.pages"), title="pages", version="1")
    validate(doc)
    return {
        op["operationId"]: (method, op)
        for item in doc["paths"].values()
        for method, op in item.items()
    }


def test_a_cached_page_documents_its_304_headers_and_html_shell():
    method, op = _ops()["pages.title"]
    assert method == "get"
    responses = op["responses"]
    assert set(responses["200"]["headers"]) == {"ETag", "Cache-Control", "Vary"}
    assert "no body" in responses["304"]["description"]
    assert set(responses["304"]["headers"]) == {"ETag", "Cache-Control", "Vary"}
    assert set(responses["200"]["content"]) == {"application/json", "text/html"}
    assert "index.html" in responses["200"]["description"]
    headers = [p["name"] for p in op["parameters"] if p["in"] == "header"]
    assert headers == ["If-None-Match"]


def test_the_post_form_of_a_page_and_a_plain_endpoint_get_neither():
    ops = _ops()
    posted = next(
        op for method, op in ops.values() if method == "post" and op["x-rlib-name"] == "title"
    )
    for op in (posted, ops["pages.plain"][1]):
        assert "304" not in op["responses"]
        assert "headers" not in op["responses"]["200"]
        assert set(op["responses"]["200"]["content"]) == {"application/json"}
        assert all(p["in"] != "header" for p in op.get("parameters", []))


def test_a_cached_endpoint_that_is_no_page_stays_json():
    _, op = _ops()["pages.shelf"]
    assert "304" in op["responses"]
    assert set(op["responses"]["200"]["content"]) == {"application/json"}
