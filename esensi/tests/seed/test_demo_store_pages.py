"""The demo data fills every store page: a new user of the demo never meets an empty page."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from esensi.app import build_app
from esensi.settings import Settings
from factories import login_as
from rlib import DatabaseConfig
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client


@pytest.fixture
def auth() -> FakeAuthenticator:
    return FakeAuthenticator()


@pytest.fixture
async def store(seeded_url: str, auth: FakeAuthenticator) -> AsyncIterator[httpx.AsyncClient]:
    database = Database(DatabaseConfig(url=seeded_url, pool_size=2))
    app = build_app(Settings(env="test", database_url=seeded_url), authenticator=auth)
    app.use_database(database)
    try:
        async with app_client(app) as http:
            yield http
    finally:
        await database.dispose()


async def _one(seeded, sql: str) -> object:
    return (await seeded.execute(text(sql))).scalar_one()


async def test_home_page_shows_every_part(store):
    body = (await store.get("/")).json()["data"]
    assert len(body["latest"]) == 12
    assert body["categories"]
    assert len(body["featured"]) == 10
    assert body["banners"]["banner-default"]
    assert body["banners"]["bundle-square"]
    assert body["bundles"]


async def test_catalogue_pages_have_rows(store, seeded):
    browse = (await store.get("/browse/1")).json()
    assert len(browse["data"]) == 24
    assert browse["pagination"]["totalPages"] >= 2
    category = await _one(
        seeded,
        "SELECT c.slug FROM category c WHERE c.id_parent IS NULL AND c.deleted_at IS NULL"
        " ORDER BY c.idx, c.name LIMIT 1",
    )
    assert (await store.get(f"/category/{category}/1")).json()["data"]
    first_word = browse["data"][0]["name"].split()[0]
    assert (await store.get(f"/search/{first_word}/1")).json()["data"]


async def test_product_and_bundle_pages_are_complete(store):
    home = (await store.get("/")).json()["data"]
    product = (await store.get(f"/product/{home['featured'][0]['slug']}")).json()["data"]
    assert product["categories"]
    assert product["related"]
    assert product["author"]["name"]
    bundle = (await store.get(f"/bundle/{home['bundles'][0]['slug']}")).json()["data"]
    assert bundle["products"]
    assert bundle["categories"]
    assert bundle["related"]
    name = home["bundles"][0]["name"]
    hits = (await store.get(f"/search/{name}/1")).json()["data"]
    assert ("bundle", name) in {(hit["kind"], hit["name"]) for hit in hits}


async def test_a_demo_customer_has_a_profile_with_orders_and_books(store, seeded, auth):
    customer = await _one(
        seeded,
        "SELECT d.id_customer FROM t_sales_download d WHERE d.revoked_at IS NULL"
        " GROUP BY d.id_customer ORDER BY count(*) DESC LIMIT 1",
    )
    login_as(auth, uuid.uuid4(), customer=uuid.UUID(str(customer)))
    body = (await store.get("/profile")).json()["data"]
    assert body["counts"]["orders"] > 0
    assert body["counts"]["library"] > 0
    for shell in ("/login", "/otp", "/resetpass"):
        assert (await store.get(shell)).status_code == 200
