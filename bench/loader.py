"""Load the data set: PostgreSQL via COPY then ANALYZE, SQLite via executemany in WAL.

A fingerprint (the scale key, row counts and a checksum) is stored in ``bench_meta``; a load
whose fingerprint already matches is skipped, so only the first ``make bench`` pays for it.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench import data
from bench.config import BenchConfig
from bench.models import Base

logger = logging.getLogger("bench.loader")

_CHECK_SQL = (
    "SELECT (SELECT count(*) FROM author), (SELECT count(*) FROM product), "
    "(SELECT count(*) FROM session), "
    "(SELECT CAST(sum(price) AS TEXT) FROM product), (SELECT sum(length(name)) FROM product)"
)
_PRODUCT_COLUMNS = [
    "id",
    "author_id",
    "name",
    "description",
    "price",
    "category",
    "status",
    "published_at",
    "deleted_at",
]


async def _create_schema(cfg: BenchConfig) -> None:
    engine = create_async_engine(cfg.database_url)
    try:
        async with engine.begin() as conn:
            if not cfg.is_sqlite:
                await conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            await conn.run_sync(Base.metadata.drop_all)
            await conn.run_sync(Base.metadata.create_all)
    finally:
        await engine.dispose()


def _fingerprint(scale: data.Scale, row: tuple[object, ...]) -> str:
    return scale.key + "|" + "|".join(str(value) for value in row)


async def _pg_fingerprints(cfg: BenchConfig) -> tuple[str | None, str | None]:
    conn = await asyncpg.connect(cfg.dsn)
    try:
        exists = await conn.fetchval("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not exists:
            return None, None
        stored = await conn.fetchval("SELECT value FROM bench_meta WHERE key = 'fingerprint'")
        row = await conn.fetchrow(_CHECK_SQL)
        return stored, _fingerprint(cfg.scale, tuple(row)) if row else None
    finally:
        await conn.close()


async def _pg_copy(cfg: BenchConfig) -> str:
    conn = await asyncpg.connect(cfg.dsn)
    scale = cfg.scale
    try:
        await conn.copy_records_to_table(
            "author", records=list(data.authors(scale)), columns=["id", "name", "country"]
        )
        await conn.copy_records_to_table(
            "product", records=list(data.products(scale)), columns=_PRODUCT_COLUMNS
        )
        await conn.copy_records_to_table(
            "app_user", records=list(data.users(scale)), columns=["id", "email", "name"]
        )
        await conn.copy_records_to_table(
            "session",
            records=list(data.sessions(scale)),
            columns=["id", "user_id", "token_hash", "expires_at"],
        )
        await conn.execute("ANALYZE")
        row = await conn.fetchrow(_CHECK_SQL)
        fingerprint = _fingerprint(scale, tuple(row) if row else ())
        await conn.execute(
            "INSERT INTO bench_meta (key, value) VALUES ('fingerprint', $1)", fingerprint
        )
        await _pg_reset_sequence(conn, scale)
        return fingerprint
    finally:
        await conn.close()


async def _pg_reset_sequence(conn: asyncpg.Connection, scale: data.Scale) -> None:
    await conn.execute("SELECT setval(pg_get_serial_sequence('product', 'id'), $1)", scale.products)


def _sqlite_path(cfg: BenchConfig) -> Path:
    return Path(cfg.database_url.split("///", 1)[1])


def _sqlite_fingerprints(cfg: BenchConfig) -> tuple[str | None, str | None]:
    path = _sqlite_path(cfg)
    if not path.exists():
        return None, None
    with sqlite3.connect(path) as conn:
        if not conn.execute("SELECT name FROM sqlite_master WHERE name = 'bench_meta'").fetchone():
            return None, None
        stored = conn.execute("SELECT value FROM bench_meta WHERE key = 'fingerprint'").fetchone()
        row = conn.execute(_CHECK_SQL).fetchone()
    return (stored[0] if stored else None), _fingerprint(cfg.scale, tuple(row))


def _sqlite_time(value: object) -> object:
    # The format SQLAlchemy's SQLite DateTime type writes and parses.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if hasattr(value, "strftime") else value


def _sqlite_load(cfg: BenchConfig) -> str:
    scale = cfg.scale
    conn = sqlite3.connect(_sqlite_path(cfg), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO author VALUES (?, ?, ?)", data.authors(scale))
        conn.executemany(
            f"INSERT INTO product ({', '.join(_PRODUCT_COLUMNS)}) VALUES ({', '.join('?' * 9)})",
            (
                (*row[:4], str(row[4]), row[5], row[6], _sqlite_time(row[7]), _sqlite_time(row[8]))
                for row in data.products(scale)
            ),
        )
        conn.executemany("INSERT INTO app_user VALUES (?, ?, ?)", data.users(scale))
        conn.executemany(
            "INSERT INTO session VALUES (?, ?, ?, ?)",
            ((*row[:3], _sqlite_time(row[3])) for row in data.sessions(scale)),
        )
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
        fingerprint = _fingerprint(scale, tuple(conn.execute(_CHECK_SQL).fetchone()))
        conn.execute("INSERT INTO bench_meta VALUES ('fingerprint', ?)", (fingerprint,))
        return fingerprint
    finally:
        conn.close()


async def ensure_loaded(cfg: BenchConfig) -> bool:
    """Load the data set unless the stored fingerprint matches; True when it loaded."""
    if cfg.is_sqlite:
        _sqlite_path(cfg).parent.mkdir(parents=True, exist_ok=True)
        stored, current = _sqlite_fingerprints(cfg)
    else:
        await ensure_database(cfg)
        stored, current = await _pg_fingerprints(cfg)
    if stored is not None and stored == current and stored.startswith(cfg.scale.key + "|"):
        logger.info("data set present (%s), not reloading", stored)
        return False
    logger.info("loading %s into %s", cfg.scale.key, cfg.backend)
    await _create_schema(cfg)
    fingerprint = _sqlite_load(cfg) if cfg.is_sqlite else await _pg_copy(cfg)
    logger.info("loaded: %s", fingerprint)
    return True


async def ensure_database(cfg: BenchConfig) -> None:
    """Create the PostgreSQL database named in the URL when it does not exist."""
    admin = await asyncpg.connect(cfg.admin_dsn)
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", cfg.db_name):
            await admin.execute(f'CREATE DATABASE "{cfg.db_name}"')
    finally:
        await admin.close()


async def drop_database(cfg: BenchConfig) -> None:
    """Drop the bench database (the smoke test's throwaway one)."""
    if cfg.is_sqlite:
        _sqlite_path(cfg).unlink(missing_ok=True)
        return
    admin = await asyncpg.connect(cfg.admin_dsn)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{cfg.db_name}" WITH (FORCE)')
    finally:
        await admin.close()


async def remove_created(cfg: BenchConfig) -> None:
    """Undo the create scenario's inserts so reads and the fingerprint stay as loaded."""
    if cfg.is_sqlite:
        with sqlite3.connect(_sqlite_path(cfg)) as conn:
            conn.execute("DELETE FROM product WHERE id > ?", (cfg.scale.products,))
            conn.execute("DELETE FROM outbox")
        return
    conn = await asyncpg.connect(cfg.dsn)
    try:
        await conn.execute("DELETE FROM product WHERE id > $1", cfg.scale.products)
        await conn.execute("DELETE FROM outbox")  # c_outbox's queued mails
        await _pg_reset_sequence(conn, cfg.scale)
    finally:
        await conn.close()


# Settings a scenario may change for its own run (scenarios.Scenario.db_settings).
_SETTINGS = frozenset({"synchronous_commit"})


def _setting(name: str) -> str:
    if name not in _SETTINGS:
        raise ValueError(f"not a bench database setting: {name}")
    return name


async def alter_settings(cfg: BenchConfig, settings: tuple[tuple[str, str], ...]) -> None:
    """``ALTER DATABASE <bench> SET name = value``: connections opened from now on use them."""
    admin = await asyncpg.connect(cfg.dsn)
    try:
        for name, value in settings:
            literal = "'" + value.replace("'", "''") + "'"
            await admin.execute(f'ALTER DATABASE "{cfg.db_name}" SET {_setting(name)} = {literal}')
    finally:
        await admin.close()


async def reset_settings(cfg: BenchConfig, names: list[str]) -> None:
    """Back to the server's values for ``names`` (new connections only)."""
    admin = await asyncpg.connect(cfg.dsn)
    try:
        for name in names:
            await admin.execute(f'ALTER DATABASE "{cfg.db_name}" RESET {_setting(name)}')
    finally:
        await admin.close()


async def show_settings(cfg: BenchConfig, names: list[str]) -> dict[str, str]:
    """What a new connection to the bench database sees, plus fsync (which always stays on)."""
    conn = await asyncpg.connect(cfg.dsn)
    try:
        shown = [*map(_setting, names), "fsync"]
        return {name: str(await conn.fetchval(f"SHOW {name}")) for name in shown}
    finally:
        await conn.close()


async def search_hit_rates(cfg: BenchConfig) -> dict[str, float]:
    """The share of live products each search term matches (recorded in the results)."""
    sql = "SELECT count(*) FROM product WHERE deleted_at IS NULL AND name ILIKE $1"
    conn = await asyncpg.connect(cfg.dsn)
    try:
        live = await conn.fetchval("SELECT count(*) FROM product WHERE deleted_at IS NULL")
        return {
            term: round((await conn.fetchval(sql, f"%{term}%")) / live, 4)
            for term in data.SEARCH_TERMS
        }
    finally:
        await conn.close()
