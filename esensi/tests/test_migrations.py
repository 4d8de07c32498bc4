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


def test_sqlite_has_no_drift_though_its_schema_lacks_the_trigram_indexes(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'drift.sqlite3'}"
    config = alembic.alembic_config(MIGRATIONS, url)
    alembic.upgrade(config)
    assert "product_name_trgm" in {ix.name for ix in metadata.tables["product"].indexes}
    assert "product_name_trgm" not in asyncio.run(_indexes(url, "product"))
    assert alembic.check_drift(config) is None


def test_sqlite_still_reports_a_real_drift(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'drift.sqlite3'}"
    config = alembic.alembic_config(MIGRATIONS, url)
    alembic.upgrade(config)
    asyncio.run(_execute(url, "DROP INDEX ix_book_id_author"))
    drift = alembic.check_drift(config)
    assert drift is not None
    assert "ix_book_id_author" in drift
    assert "trgm" not in drift


async def _indexes(url: str, table: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        found = await conn.run_sync(lambda sync: inspect(sync).get_indexes(table))
    await engine.dispose()
    return {str(index["name"]) for index in found}


async def _execute(url: str, sql: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.exec_driver_sql(sql)
    await engine.dispose()
