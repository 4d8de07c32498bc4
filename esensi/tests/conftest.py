"""esensi test fixtures: a migrated database per backend and worker, emptied before each test.

SQLite always runs; PostgreSQL runs too when ``ESENSI_TEST_DATABASE_URL`` is set (CI sets it
and refuses to run without it). Each worker migrates its own database once. Tests run with
production's database configuration: requests commit for real, reads take the native read pool
(PostgreSQL) or a raw pooled connection (SQLite), creates the raw write path (ADR 0008, 0014 to
0016). Every table is emptied before each test instead (ADR 0019).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from conftest_helpers import (
    drop_postgres_database,
    empty_database,
    migrate,
    recreate_postgres_database,
)
from esensi.app import build_app
from esensi.settings import Settings
from rlib import DatabaseConfig, RlibApp
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI requires ESENSI_TEST_DATABASE_URL (PostgreSQL)")


@pytest.fixture(scope="session")
def migrated_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "main")
    urls = {"sqlite": f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'esensi.sqlite3'}"}
    if PG_URL:
        # Unique per run: several checkouts may test against one server at the same time.
        name = f"esensi_test_{worker_id}_{os.getpid()}"
        urls["postgresql"] = asyncio.run(recreate_postgres_database(name))
    for url in urls.values():
        migrate(url)
    yield urls
    if "postgresql" in urls:
        asyncio.run(drop_postgres_database(urls["postgresql"]))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database(backend: str, migrated_urls: dict[str, str]) -> AsyncIterator[Database]:
    """The worker's migrated database, every table empty, configured as in production."""
    db = Database(DatabaseConfig(url=migrated_urls[backend], pool_size=2))
    try:
        await empty_database(db)
        yield db
    finally:
        await db.dispose()


@pytest.fixture
def auth() -> FakeAuthenticator:
    """Who the test client is signed in as (nobody until a test sets ``auth.user``)."""
    return FakeAuthenticator()


@pytest.fixture
def app(database: Database, auth: FakeAuthenticator) -> RlibApp:
    built = build_app(Settings(env="test", database_url=database.config.url), authenticator=auth)
    built.use_database(database)
    return built


@pytest.fixture
async def client(app: RlibApp) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(app) as http:
        yield http
