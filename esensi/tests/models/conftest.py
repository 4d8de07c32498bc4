"""A fresh, empty esensi schema per test on every available backend.

SQLite always runs; PostgreSQL runs too when ``ESENSI_TEST_DATABASE_URL`` is set. On PostgreSQL
each test gets its own schema, dropped afterwards, so parallel workers never see each other.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from esensi.models import metadata

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
# Serialises CREATE EXTENSION across workers (concurrent creation fails on the catalog).
EXTENSION_LOCK = 7_042_001


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


async def _sqlite_engine(tmp_path: Path) -> AsyncEngine:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'models.db'}")
    event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
    return engine


async def _postgres_engine(schema: str) -> AsyncEngine:
    admin = create_async_engine(str(PG_URL))
    try:
        async with admin.begin() as conn:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": EXTENSION_LOCK})
            await conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        await admin.dispose()
    return create_async_engine(
        str(PG_URL), connect_args={"server_settings": {"search_path": f"{schema},public"}}
    )


async def _drop_postgres_schema(schema: str) -> None:
    admin = create_async_engine(str(PG_URL))
    try:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await admin.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def engine(backend: str, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    schema = f"models_{uuid.uuid4().hex[:12]}"
    if backend == "sqlite":
        db = await _sqlite_engine(tmp_path)
    else:
        db = await _postgres_engine(schema)
    try:
        async with db.begin() as conn:
            await conn.run_sync(metadata.create_all)
        yield db
    finally:
        await db.dispose()
        if backend == "postgresql":
            await _drop_postgres_schema(schema)


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with AsyncSession(engine, expire_on_commit=False) as db:
        yield db
