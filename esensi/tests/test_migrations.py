"""One Alembic history builds, removes and rebuilds the whole schema on every backend."""

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from conftest_helpers import (
    MIGRATIONS,
    PG_URL,
    drop_postgres_database,
    recreate_postgres_database,
)
from esensi.models import metadata
from rlib.db import migrations as alembic


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    url = asyncio.run(recreate_postgres_database(f"esensi_mig_{uuid.uuid4().hex[:8]}"))
    yield url
    asyncio.run(drop_postgres_database(url))


async def _tables(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_url):
    config = alembic.alembic_config(MIGRATIONS, empty_url)
    alembic.upgrade(config)
    assert asyncio.run(_tables(empty_url)) == set(metadata.tables)
    assert "(head)" in alembic.current(config)
    alembic.downgrade(config, "base")
    assert asyncio.run(_tables(empty_url)) == set()
    alembic.upgrade(config)
    assert asyncio.run(_tables(empty_url)) == set(metadata.tables)


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
def test_models_and_migrations_do_not_drift_on_postgres():
    url = asyncio.run(recreate_postgres_database(f"esensi_drift_{uuid.uuid4().hex[:8]}"))
    try:
        config = alembic.alembic_config(MIGRATIONS, url)
        alembic.upgrade(config)
        assert alembic.check_drift(config) is None
    finally:
        asyncio.run(drop_postgres_database(url))
