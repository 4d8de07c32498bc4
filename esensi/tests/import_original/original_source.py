"""The original esensi's database, created on PostgreSQL for the import tests.

``original_schema.sql`` is the original's Prisma schema (45 models, statuses as free text,
uniqueness mostly unenforced) transcribed to PostgreSQL DDL. Each test run creates its own
source database (``k_original_<worker>_<pid>``) from it and drops it afterwards, so parallel
checkouts sharing one server never collide.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
from import_original.original_data import Planted, fill
from sqlalchemy.engine import make_url

from conftest_helpers import drop_postgres_database, recreate_postgres_database

SCHEMA_SQL = Path(__file__).with_name("original_schema.sql")


def source_database_name() -> str:
    """A name unique to this worker and process (several checkouts test on one server)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"k_original_{worker}_{os.getpid()}"


async def connect(url: str) -> asyncpg.Connection:
    """A plain asyncpg connection to ``url`` (a SQLAlchemy-style URL)."""
    parsed = make_url(url)
    return await asyncpg.connect(
        host=parsed.host,
        port=parsed.port,
        user=parsed.username,
        password=parsed.password,
        database=parsed.database,
    )


async def create_source_database() -> str:
    """Create an empty original database (schema only) and return its URL."""
    url = await recreate_postgres_database(source_database_name())
    conn = await connect(url)
    try:
        await conn.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    finally:
        await conn.close()
    return url


async def drop_source_database(url: str) -> None:
    """Remove a database made by :func:`create_source_database`."""
    await drop_postgres_database(url)


@contextlib.contextmanager
def filled_source(**sizes: Any) -> Iterator[tuple[str, Planted]]:
    """A fresh source database filled by ``fill(conn, **sizes)`` (its URL and what was
    planted), dropped afterwards: the body of each test module's ``source_url`` fixture, sync
    and module-wide (one source for both targets), like the conftest's databases."""
    url = asyncio.run(create_source_database())
    try:
        yield url, asyncio.run(_fill(url, sizes))
    finally:
        asyncio.run(drop_source_database(url))


async def _fill(url: str, sizes: dict[str, Any]) -> Planted:
    conn = await connect(url)
    try:
        return await fill(conn, **sizes)
    finally:
        await conn.close()
