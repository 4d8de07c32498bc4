"""A freshly migrated database per backend, seeded once for the whole module.

Seeding commits (a transaction per step and block), so it gets its own database instead of the
rolled-back per-test one. The tests only read it; the idempotency test seeds again and expects
nothing to be added.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest_helpers import PG_URL, seeded_database
from esensi.seed.demo import seed_demo
from rlib import DatabaseConfig
from rlib.db.engine import Database

BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


async def _seed(url: str) -> dict[str, int]:
    database = Database(DatabaseConfig(url=url, pool_size=2))
    try:
        return await seed_demo(database, quiet=True)
    finally:
        await database.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with seeded_database(
        request.param, tmp_path_factory.mktemp("seed"), "esensi_seed", _seed
    ) as url:
        yield url


@pytest.fixture
async def seeded(seeded_url: str) -> AsyncIterator[AsyncConnection]:
    """A read-only connection to the seeded database."""
    database = Database(DatabaseConfig(url=seeded_url, pool_size=1))
    async with database.engine.connect() as connection:
        yield connection
    await database.dispose()
