"""Async engines for PostgreSQL (asyncpg) and SQLite (aiosqlite), and the Database handle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from rlib.config import DatabaseConfig
from rlib.db.driver import sessions_bind
from rlib.db.native import NativePool
from rlib.db.tx import RawHook, UnitOfWork


def ensure_sqlite_directory(database_url: str) -> None:
    """Create the folder of a SQLite database file (``var/`` on a fresh clone)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_engine(cfg: DatabaseConfig) -> AsyncEngine:
    ensure_sqlite_directory(cfg.url)
    # The configured pool size holds here too: SQLAlchemy's default (5 + 10 overflow) opened and
    # closed overflow connections (a thread and four PRAGMAs each) under load.
    sized = (
        {}
        if ":memory:" in cfg.url
        else {
            "pool_size": cfg.pool_size,
            "max_overflow": cfg.max_overflow,
            "pool_timeout": cfg.pool_timeout_s,
        }
    )
    engine = create_async_engine(
        cfg.url,
        echo=cfg.echo,
        connect_args={"timeout": cfg.sqlite_busy_timeout_ms / 1000},
        **sized,
    )
    busy_timeout = int(cfg.sqlite_busy_timeout_ms)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:  # DBAPI object
        # Autocommit at the driver so SQLAlchemy's own BEGIN (below) governs transactions;
        # pysqlite's implicit transactions break SAVEPOINT and read consistency.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:  # sync Connection
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return
        # A session joining a write unit's connection finds the unit's BEGIN already run.
        if not connection.connection.driver_connection.in_transaction:
            connection.exec_driver_sql("BEGIN")

    return engine


def _postgres_engine(cfg: DatabaseConfig) -> AsyncEngine:
    return create_async_engine(
        cfg.url,
        echo=cfg.echo,
        pool_size=cfg.pool_size,
        max_overflow=cfg.max_overflow,
        pool_timeout=cfg.pool_timeout_s,
        pool_recycle=cfg.pool_recycle_s,
        pool_pre_ping=cfg.pool_pre_ping,
        connect_args={
            "server_settings": {
                "statement_timeout": str(cfg.statement_timeout_ms),
                "application_name": "rlib",
            }
        },
    )


def create_engine(cfg: DatabaseConfig) -> AsyncEngine:
    """Build the engine for ``cfg.url``: SQLite gets WAL, foreign keys and a busy timeout."""
    return _sqlite_engine(cfg) if cfg.is_sqlite else _postgres_engine(cfg)


class Database:
    """One engine and its session factory; made in the app's lifespan, disposed at shutdown."""

    def __init__(self, cfg: DatabaseConfig, *, engine: AsyncEngine | None = None) -> None:
        self.config = cfg
        self.engine = engine or create_engine(cfg)
        self.sessionmaker: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )
        # Reads without BEGIN/COMMIT round trips; None makes every unit transactional (tests
        # that bind sessions to one connection set it so).
        self.readonly_sessionmaker: async_sessionmaker[AsyncSession] | None = async_sessionmaker(
            self.engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
        )
        native = cfg.fast_path and self.engine.dialect.name == "postgresql"
        self.native = NativePool(cfg) if native else None
        # Run when a unit takes a raw connection of the engine's pool ("read" or "write"): a
        # test proves with them that requests took the fast paths.
        self.raw_hooks: list[RawHook] = []

    @property
    def dialect(self) -> str:
        """``postgresql`` or ``sqlite``."""
        return self.engine.dialect.name

    def unit(self, *, after_commit_timeout_s: float = 5.0, readonly: bool = False) -> UnitOfWork:
        """A new unit of work (one transaction) on this database."""
        fast = readonly and self.readonly_sessionmaker is not None
        # SQLite reads of a read-only unit run on a raw pooled connection (no session), and
        # writes may take their own raw connection (rlib.db.raw), unless the fast paths are
        # off or sessions are bound elsewhere (to one connection a test rolls back, say).
        on_engine = self.config.fast_path and self._sessions_on_engine()
        raw_reads = fast and on_engine and self.engine.dialect.name == "sqlite"
        return UnitOfWork(
            self.readonly_sessionmaker
            if fast and self.readonly_sessionmaker
            else self.sessionmaker,
            after_commit_timeout_s=after_commit_timeout_s,
            native=self.native if fast else None,
            dialect=self.engine.dialect,
            engine=self.engine if (raw_reads or (not readonly and on_engine)) else None,
            raw_reads=raw_reads,
            fast_path=self.config.fast_path,
            raw_hooks=self.raw_hooks,
        )

    def _sessions_on_engine(self) -> bool:
        return sessions_bind(self.sessionmaker) is self.engine

    async def ping(self) -> None:
        """Run ``SELECT 1``; raises when the database is unreachable."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        """Close every pooled connection."""
        if self.native is not None:
            await self.native.close()
        await self.engine.dispose()
