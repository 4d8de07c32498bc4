"""Fixtures for rlib's framework tests: each test gets a fresh database on every available backend.

SQLite always runs; PostgreSQL runs too when ``ESENSI_TEST_DATABASE_URL`` is set, and CI
(``CI`` set) refuses to run without it so nothing is silently skipped.

A module that sets ``BOTH_DB_PATHS = True`` runs each database test twice: with the fast paths
(``DatabaseConfig.fast_path``, production's default) and without, when every function of
``rlib.db.driver`` that only the fast paths may call is made to fail.
"""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from crud_support import Library, library_app

from fixture_apps.factory import make_shop_app
from fixture_apps.library import resources
from fixture_apps.library.models import Base as LibraryBase
from fixture_apps.shop.models import Base
from rlib.db import driver
from rlib.db.engine import Database
from rlib.testing import app_client, fresh_database, sqlite_url

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not PG_URL:
        raise pytest.UsageError("CI requires ESENSI_TEST_DATABASE_URL (PostgreSQL)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "fast_path" in metafunc.fixturenames and getattr(metafunc.module, "BOTH_DB_PATHS", False):
        metafunc.parametrize("fast_path", [True, False], ids=["fast", "plain"], indirect=True)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fast_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """``DatabaseConfig.fast_path`` of the test's databases (True unless parametrized)."""
    enabled = bool(getattr(request, "param", True))
    if not enabled:
        _forbid_fast_path_internals(monkeypatch)
    return enabled


def _forbid_fast_path_internals(monkeypatch: pytest.MonkeyPatch) -> None:
    # Wherever rlib imported them, so a call from any module fails the test.
    forbidden = {id(getattr(driver, name)): name for name in driver.FAST_PATH_INTERNALS}
    for module in [m for name, m in sys.modules.items() if name.startswith("rlib.")]:
        for attribute, value in list(vars(module).items()):
            if id(value) in forbidden:
                monkeypatch.setattr(module, attribute, _refusing(forbidden[id(value)]))


def _refusing(name: str) -> Callable[..., object]:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"rlib.db.driver.{name} called with fast_path off")

    return refuse


@pytest.fixture
async def database(backend: str, tmp_path: Path, fast_path: bool) -> AsyncIterator[Database]:
    url = sqlite_url(tmp_path) if backend == "sqlite" else str(PG_URL)
    async with fresh_database(url, Base.metadata, fast_path=fast_path) as db:
        yield db


@pytest.fixture
async def client(database: Database) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(make_shop_app(database)) as http:
        yield http


@pytest.fixture
async def library_db(backend: str, tmp_path: Path, fast_path: bool) -> AsyncIterator[Database]:
    url = sqlite_url(tmp_path) if backend == "sqlite" else str(PG_URL)
    async with fresh_database(url, LibraryBase.metadata, fast_path=fast_path) as db:
        yield db


@pytest.fixture
async def lib(library_db: Database) -> AsyncIterator[Library]:
    """The library app signed in as writer 0, hooks log cleared."""
    resources.HOOK_LOG.clear()
    async with library_app(library_db) as library:
        yield library
