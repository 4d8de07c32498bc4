"""A multipart endpoint: declared with its form, documented as multipart/form-data, and called
by the generated client with FormData (files typed as Blob)."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel

from rlib import Ctx, Registry, define_api
from rlib.config import GenConfig
from rlib.gen.check import generate
from rlib.gen.openapi import build_openapi
from rlib.registry import Domain

FILES = Domain(name="files", prefix="/api/files", auth=frozenset({"public"}))


class Form(BaseModel):
    kind: str
    file: bytes


async def upload(ctx: Ctx) -> dict[str, str]:
    return {}


def registry() -> Registry:
    built = Registry()
    built.add(
        FILES,
        [define_api(name="upload", url="/upload", handler=upload, body="multipart", form=Form)],
    )
    return built


def test_the_form_is_documented_as_multipart_with_a_binary_file():
    doc = build_openapi(registry(), title="t", version="1")
    validate(doc)
    body = doc["paths"]["/api/files/upload"]["post"]["requestBody"]
    schema = body["content"]["multipart/form-data"]["schema"]
    form = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert form["properties"]["file"] == {"format": "binary", "title": "File", "type": "string"}
    assert set(form["required"]) == {"kind", "file"}


def test_the_client_sends_form_data_and_types_files_as_blob():
    files = generate(registry(), GenConfig(title="t", version="1", package="@t/c"))
    assert '"form": true' in files["src/operations.ts"]
    assert "file: Blob" in files["src/types.ts"]
    assert "function formOf(" in files["src/runtime.ts"]


def test_a_multipart_handler_cannot_take_a_payload_model():
    async def handler(ctx: Ctx, payload: Form) -> None: ...

    with pytest.raises(TypeError, match="reads its form itself"):
        define_api(name="x", url="/x", handler=handler, body="multipart")


def test_a_form_needs_a_multipart_body():
    with pytest.raises(ValueError, match="body='multipart'"):
        define_api(name="x", url="/x", handler=upload, form=Form)
