"""Fixtures of the reliability and security battery (issue 19); see battery_support, and
authz_world for the authorization matrix's world."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from authz_world import BACKENDS, World, seed_world
from battery_support import Battery, battery_from_env

from conftest_helpers import seeded_database
from esensi.app import build_app
from esensi.settings import Settings
from rlib import DatabaseConfig
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client


@pytest.fixture
def battery() -> Battery:
    return battery_from_env()


# One world per backend for the whole session: the Z families share it (and one xdist worker).
@pytest.fixture(scope="session", params=BACKENDS)
def world_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("authz")
    with seeded_database(request.param, directory, "esensi_authz", seed_world) as url:
        yield url


@pytest.fixture
async def world(world_url: str) -> AsyncIterator[World]:
    database = Database(DatabaseConfig(url=world_url, pool_size=2))
    auth = FakeAuthenticator()
    app = build_app(Settings(env="test", database_url=world_url), authenticator=auth)
    app.use_database(database)
    try:
        async with app_client(app) as http:
            yield World(database, auth, http)
    finally:
        await database.dispose()
