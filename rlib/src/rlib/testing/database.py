"""Throwaway databases for tests: a SQLite file, or a private PostgreSQL schema."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import create_async_engine

from rlib.config import DatabaseConfig
from rlib.db.engine import Database
from rlib.db.native import NativePool


def sqlite_url(directory: Path) -> str:
    """A SQLite URL for a new file in ``directory``."""
    return f"sqlite+aiosqlite:///{directory / ('db-' + uuid.uuid4().hex[:8] + '.sqlite3')}"


@asynccontextmanager
async def fresh_database(
    url: str, metadata: MetaData | None = None, *, fast_path: bool = True
) -> AsyncIterator[Database]:
    """A Database with ``metadata`` created in it, removed afterwards.

    ``fast_path`` is ``DatabaseConfig.fast_path`` (False: everything through SQLAlchemy).

    On PostgreSQL a new schema is created and put first on the ``search_path`` (then
    ``public``, where extensions live), so parallel tests never see each other's tables.
    """
    if url.startswith("sqlite"):
        database = Database(DatabaseConfig(url=url, fast_path=fast_path))
        await _create(database, metadata)
        try:
            yield database
        finally:
            await database.dispose()
        return
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_async_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_async_engine(
        url,
        pool_size=4,
        max_overflow=8,
        connect_args={"server_settings": {"search_path": f"{schema},public"}},
    )
    database = Database(DatabaseConfig(url=url, fast_path=fast_path), engine=engine)
    if fast_path:
        database.native = NativePool(
            database.config, server_settings={"search_path": f"{schema},public"}
        )
    try:
        await _create(database, metadata)
        yield database
    finally:
        await database.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def _create(database: Database, metadata: MetaData | None) -> None:
    if metadata is not None:
        async with database.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
