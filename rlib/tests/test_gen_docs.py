"""/openapi.json and /docs: local assets, open in development, staff-only in production."""

from __future__ import annotations

import json
import uuid

import pytest

from fixture_apps.shop.models import Base
from rlib import Catalogue, Registry, RlibApp, RlibConfig, create_app
from rlib.auth.users import SessionUser
from rlib.config import Environment, GenConfig
from rlib.db.engine import Database
from rlib.gen.check import document_text
from rlib.gen.openapi import build_openapi
from rlib.testing import FakeAuthenticator, app_client

DOCS = GenConfig(title="Shop API", docs_user_types=("staff",))


def make_app(
    database: Database, env: Environment, auth: FakeAuthenticator, docs: GenConfig = DOCS
) -> RlibApp:
    app = create_app(
        config=RlibConfig(env=env),
        registry=Registry().discover("fixture_apps.shop"),
        catalogue=Catalogue(),
        metadata=Base.metadata,
        authenticator=auth,
        docs=docs,
    )
    app.use_database(database)
    return app


def staff() -> SessionUser:
    return SessionUser(id=uuid.uuid4(), profiles={"staff": uuid.uuid4()})


async def test_development_serves_the_document_and_pages_to_anyone(database: Database):
    app = make_app(database, "development", FakeAuthenticator())
    async with app_client(app) as client:
        document = await client.get("/openapi.json")
        assert document.status_code == 200
        assert document.headers["content-type"] == "application/json; charset=utf-8"
        assert document.headers["x-content-type-options"] == "nosniff"
        assert document.headers["content-security-policy"].startswith("default-src 'none'")
        expected = build_openapi(app.registry, title="Shop API", version=DOCS.version)
        assert document.text == document_text(expected)
        assert "docs.docs" not in document.text  # the reference never documents itself
        shop = (await client.get("/docs/shop/openapi.json")).json()
        assert {
            op["operationId"].split(".")[0] for p in shop["paths"].values() for op in p.values()
        } == {"shop"}
        page = await client.get("/docs")
        assert page.status_code == 200
        assert 'data-spec="/openapi.json"' in page.text
        assert '<script src="/docs/assets/swagger-ui-bundle.js"></script>' in page.text
        assert "https://" not in page.text  # no CDN: every asset is ours
        assert "script-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        one = await client.get("/docs/shop")
        assert 'data-spec="/docs/shop/openapi.json"' in one.text
        assert (await client.get("/docs/nowhere")).json()["code"] == "not_found"


async def test_assets_come_from_the_installed_packages_only(database: Database):
    app = make_app(database, "development", FakeAuthenticator())
    async with app_client(app) as client:
        bundle = await client.get("/docs/assets/swagger-ui-bundle.js")
        assert bundle.status_code == 200
        assert bundle.headers["content-type"].startswith("text/javascript")
        assert b"SwaggerUIBundle" in bundle.content
        starter = await client.get("/docs/assets/docs.js")
        assert b"data-spec" in starter.content
        for name in ("..%2Fdocs.py", "index.html", "swagger-initializer.js"):
            assert (await client.get(f"/docs/assets/{name}")).status_code == 404


@pytest.mark.parametrize("path", ["/docs", "/openapi.json", "/docs/shop", "/docs/assets/docs.js"])
async def test_production_admits_staff_only(database: Database, path: str):
    auth = FakeAuthenticator()
    app = make_app(database, "production", auth)
    async with app_client(app) as client:
        assert (await client.get(path)).status_code == 401
        auth.user = SessionUser(id=uuid.uuid4(), profiles={"customer": uuid.uuid4()})
        assert (await client.get(path)).json()["code"] == "forbidden"
        auth.user = staff()
        assert (await client.get(path)).status_code == 200


async def test_production_without_staff_types_mounts_no_reference(database: Database):
    app = make_app(database, "production", FakeAuthenticator(staff()), GenConfig())
    async with app_client(app) as client:
        assert (await client.get("/docs")).json()["code"] == "route_not_found"
        assert (await client.get("/openapi.json")).status_code == 404


async def test_an_app_without_docs_has_none(database: Database):
    app = create_app(config=RlibConfig(), registry=Registry().discover("fixture_apps.shop"))
    app.use_database(database)
    async with app_client(app) as client:
        assert (await client.get("/docs")).status_code == 404
    assert json.loads(document_text({"a": 1})) == {"a": 1}
