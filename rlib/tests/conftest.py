"""Fixtures for rlib's framework tests: each test gets a fresh database on every available backend.

SQLite always runs; PostgreSQL runs too when ``ESENSI_TEST_DATABASE_URL`` is set, and CI
(``CI`` set) refuses to run without it so nothing is silently skipped.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from crud_support import Library, library_app

from fixture_apps.factory import make_shop_app
from fixture_apps.library import resources
from fixture_apps.library.models import Base as LibraryBase
from fixture_apps.shop.models import Base
from rlib.db.engine import Database
from rlib.testing import app_client, fresh_database, sqlite_url

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI requires ESENSI_TEST_DATABASE_URL (PostgreSQL)")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def database(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    url = sqlite_url(tmp_path) if backend == "sqlite" else str(PG_URL)
    async with fresh_database(url, Base.metadata) as db:
        yield db


@pytest.fixture
async def client(database: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(make_shop_app(database)) as http:
        yield http


@pytest.fixture
async def library_db(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    url = sqlite_url(tmp_path) if backend == "sqlite" else str(PG_URL)
    async with fresh_database(url, LibraryBase.metadata) as db:
        yield db


@pytest.fixture
async def lib(library_db: Database) -> AsyncIterator[Library]:
    """The library app signed in as writer 0, hooks log cleared."""
    resources.HOOK_LOG.clear()
    async with library_app(library_db) as library:
        yield library
