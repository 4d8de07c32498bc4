"""Database helpers shared by the esensi conftest and the migration tests."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from esensi import migrations
from esensi.models import metadata
from rlib import DatabaseConfig
from rlib.db import migrations as alembic
from rlib.db.engine import Database

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
MIGRATIONS = Path(migrations.__file__).parent


async def _admin(*statements: str) -> None:
    url = make_url(str(PG_URL))
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def recreate_postgres_database(name: str) -> str:
    """Drop and create database ``name`` next to the test database; returns its URL."""
    await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return make_url(str(PG_URL)).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    """Remove a database made by :func:`recreate_postgres_database`."""
    await _admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def migrate(url: str, revision: str = "head") -> None:
    """Run the Alembic history against ``url`` (sync: env.py runs its own event loop)."""
    alembic.upgrade(alembic.alembic_config(MIGRATIONS, url), revision)


@contextlib.contextmanager
def seeded_database(
    backend: str, directory: Path, name: str, seed: Callable[[str], Awaitable[object]]
) -> Iterator[str]:
    """A database of its own on ``backend`` (a file in ``directory``, or ``<name>_<hex>`` on
    the PostgreSQL server), migrated and filled by ``seed(url)``; dropped afterwards. For
    fixtures whose data is committed and shared by a module's or the session's tests."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{directory / f'{name}.sqlite3'}"
    else:
        url = asyncio.run(recreate_postgres_database(f"{name}_{uuid.uuid4().hex[:8]}"))
    try:
        migrate(url)
        asyncio.run(seed(url))
        yield url
    finally:
        if backend == "postgresql":
            asyncio.run(drop_postgres_database(url))


# Children before parents, so foreign keys hold after each statement.
_EMPTY = [f'DELETE FROM "{table.name}"' for table in reversed(metadata.sorted_tables)]


async def empty_database(database: Database) -> None:
    """Delete every row of every esensi table, in one transaction and one round trip.

    Measured on a migrated database (46 tables): 2.4 ms, against 1.3 s for one ``TRUNCATE`` of
    all tables (new files for every table and index, synced at commit) and 1.1 s for a copy of
    a template database. Identity sequences are not reset (a rollback never reset them either).
    """
    async with database.engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        if database.dialect == "postgresql":
            await driver.execute(";".join(["BEGIN", *_EMPTY, "COMMIT"]))
        else:  # aiosqlite, in autocommit at the driver; self-references checked at commit
            script = ["BEGIN", "PRAGMA defer_foreign_keys=ON", *_EMPTY, "COMMIT"]
            await driver.executescript(";".join(script))


async def empty_database_at(url: str) -> None:
    """:func:`empty_database` for a test that talks to the database by URL (a live server's):
    an earlier test's rows, such as 127.0.0.1's failed sign-ins, must not count in it."""
    database = Database(DatabaseConfig(url=url, pool_size=1))
    try:
        await empty_database(database)
    finally:
        await database.dispose()
