"""The demo customer's open cart can be shown and takes the demo promo code HEMAT10."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from esensi.app import build_app
from esensi.seed.keys import seed_id
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


async def test_the_demo_customer_applies_hemat10_to_the_open_cart(store, auth):
    login_as(auth, uuid.uuid4(), customer=seed_id("customer", "pembaca@esensi.online"))
    cart = (await store.get("/cart")).json()["data"]
    assert cart["lines"], cart
    assert all(line["available"] for line in cart["lines"])
    applied = await store.post("/api/cart/promo", json={"code": "hemat10"})
    assert applied.status_code == 200, applied.json()
    promo = applied.json()["data"]["promo"]
    assert (promo["code"], promo["applies"]) == ("HEMAT10", True)
    assert promo["discount"] != "0.00"
    # Leave the shared seeded database as the seed made it.
    assert (await store.post("/api/cart/promo", json={"code": None})).status_code == 200
