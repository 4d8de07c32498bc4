"""The demo customer (pembaca@) meets full commerce pages: orders in several statuses, a
library, and a book that really downloads from the generated files."""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import AsyncIterator
from io import BytesIO
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from esensi.app import build_app
from esensi.seed.demo import write_demo_files
from esensi.settings import FileSettings, Settings
from factories import login_as
from rlib import DatabaseConfig
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client


@pytest.fixture
def auth() -> FakeAuthenticator:
    return FakeAuthenticator()


@pytest.fixture
async def store(
    seeded_url: str, auth: FakeAuthenticator, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    assert write_demo_files(tmp_path) == 60
    assert write_demo_files(tmp_path) == 0  # idempotent: only missing files are written
    database = Database(DatabaseConfig(url=seeded_url, pool_size=2))
    settings = Settings(env="test", database_url=seeded_url, files=FileSettings(directory=tmp_path))
    app = build_app(settings, authenticator=auth)
    app.use_database(database)
    try:
        async with app_client(app) as http:
            yield http
    finally:
        await database.dispose()


async def _sign_in_reader(seeded, auth: FakeAuthenticator) -> None:
    row = (
        await seeded.execute(
            text(
                "SELECT c.id FROM customer c JOIN auth_user u ON u.id = c.id_user"
                " WHERE u.email = 'pembaca@esensi.online'"
            )
        )
    ).one()
    customer = row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(str(row[0]))
    login_as(auth, uuid.uuid4(), customer=customer)


async def test_the_demo_customer_has_orders_in_several_statuses(store, seeded, auth):
    await _sign_in_reader(seeded, auth)
    orders = (await store.get("/history/all/1")).json()["data"]
    statuses = {order["status"] for order in orders}
    assert {"paid", "pending", "expired", "cancelled", "refunded"} <= statuses
    pending = next(order for order in orders if order["status"] == "pending")
    detail = (await store.get(f"/trx/{pending['id']}")).json()["data"]
    assert detail["payment"]["snap_redirect_url"]
    assert detail["lines"]


async def test_the_demo_customer_downloads_a_real_book(store, seeded, auth):
    await _sign_in_reader(seeded, auth)
    library = (await store.get("/library/1")).json()["data"]
    assert library
    reader = (await store.get(f"/read/{library[0]['slug']}")).json()["data"]
    got = await store.get(reader["download_url"])
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/epub+zip"
    with zipfile.ZipFile(BytesIO(got.content)) as book:
        assert book.namelist()[0] == "mimetype"
        assert book.testzip() is None
        assert library[0]["name"].split()[0] in book.read("bab-1.xhtml").decode()
