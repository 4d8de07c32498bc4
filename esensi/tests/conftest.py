"""esensi test fixtures: a migrated database per backend and worker, a transaction per test.

SQLite always runs; PostgreSQL runs too when ``ESENSI_TEST_DATABASE_URL`` is set (CI sets it
and refuses to run without it). Each worker migrates its own database once; every test runs
inside an outer transaction that is rolled back, and each request's commit only releases a
savepoint, so the request rules (one transaction, after-commit effects) still hold.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from conftest_helpers import drop_postgres_database, migrate, recreate_postgres_database
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
    """The worker's migrated database; everything a test writes is rolled back."""
    db = Database(DatabaseConfig(url=migrated_urls[backend], pool_size=2))
    async with db.engine.connect() as connection:
        outer = await connection.begin()
        db.sessionmaker = async_sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        db.readonly_sessionmaker = None  # reads must see the test's uncommitted rows
        try:
            yield db
        finally:
            await outer.rollback()
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
