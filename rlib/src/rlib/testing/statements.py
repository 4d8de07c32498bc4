"""Count the SQL statements a database runs (to prove a path costs N queries, not one per row).

What the database driver is sent is what counts: on PostgreSQL asyncpg's query loggers (the
CRUD reads and the create run on asyncpg directly), on SQLite sqlite3's trace callback (the
create runs on aiosqlite directly), each attached to every connection checked out meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from rlib.db.driver import sessions_bind, sqlite3_connection
from rlib.db.engine import Database

_HOUSEKEEPING = (
    "BEGIN",
    "SAVEPOINT",
    "RELEASE",
    "COMMIT",
    "ROLLBACK",
    "PRAGMA",
    "SELECT 1",
    "SET ",
    "RESET",
    "SELECT pg_advisory_unlock_all",
    "CLOSE ALL",
    "UNLISTEN",
    "DISCARD",
)


class StatementLog:
    """The statements seen while the counter was active (transaction housekeeping excluded)."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.housekeeping: list[str] = []  # BEGIN, COMMIT and the like, in order

    @property
    def count(self) -> int:
        """How many statements ran."""
        return len(self.statements)

    def record(self, statement: str) -> None:
        """Keep ``statement`` unless it is transaction, session or driver housekeeping."""
        # ";" is the pool's pre-ping on asyncpg (pool_pre_ping): a liveness probe, not work.
        if statement.strip() == ";" or statement.lstrip().upper().startswith(_HOUSEKEEPING):
            self.housekeeping.append(statement.strip())
            return
        if "pg_catalog.pg_type" in statement or "set_config('jit'" in statement:
            return  # asyncpg's one-time type introspection on a new connection
        self.statements.append(statement)


@asynccontextmanager
async def count_statements(database: Database) -> AsyncIterator[StatementLog]:
    """Record every statement ``database`` executes inside the block."""
    log = StatementLog()

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        log.record(statement)

    if database.engine.dialect.name != "postgresql":
        async with _sqlite_log(database, log):
            yield log
        return
    event.listen(database.engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        # SQLAlchemy runs prepared statements, which asyncpg does not log: no double count.
        async with _asyncpg_log(database, log):
            yield log
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", on_execute)


@asynccontextmanager
async def _sqlite_log(database: Database, log: StatementLog) -> AsyncIterator[None]:
    drivers: list[Any] = []  # aiosqlite Connections

    def attach(driver: Any) -> None:
        if driver not in drivers:
            # sqlite3 calls it from aiosqlite's thread with each statement it runs.
            sqlite3_connection(driver).set_trace_callback(log.record)
            drivers.append(driver)

    def on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        attach(dbapi_connection.driver_connection)

    bound = sessions_bind(database.sessionmaker)
    if isinstance(bound, AsyncConnection):
        attach((await bound.get_raw_connection()).driver_connection)
    event.listen(database.engine.sync_engine, "checkout", on_checkout)
    try:
        yield
    finally:
        event.remove(database.engine.sync_engine, "checkout", on_checkout)
        for driver in drivers:
            with contextlib.suppress(Exception):
                sqlite3_connection(driver).set_trace_callback(None)


@asynccontextmanager
async def _asyncpg_log(database: Database, log: StatementLog) -> AsyncIterator[None]:
    drivers: list[Any] = []
    active = [True]

    def on_query(query: Any) -> None:  # asyncpg LoggedQuery
        if active[0]:
            log.record(query.query)

    def attach(driver: Any) -> None:  # asyncpg Connection
        if driver not in drivers:
            driver.add_query_logger(on_query)
            drivers.append(driver)

    def on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        attach(dbapi_connection.driver_connection)

    bound = sessions_bind(database.sessionmaker)  # tests bind every session to one connection
    if isinstance(bound, AsyncConnection):
        attach((await bound.get_raw_connection()).driver_connection)
    event.listen(database.engine.sync_engine, "checkout", on_checkout)
    if database.native is not None:
        database.native.hooks.append(attach)
    try:
        yield
    finally:
        await asyncio.sleep(0)  # asyncpg hands queries to its loggers with loop.call_soon
        event.remove(database.engine.sync_engine, "checkout", on_checkout)
        if database.native is not None:
            database.native.hooks.remove(attach)
        active[0] = False  # a pooled connection already given back keeps an inert logger
        for driver in drivers:
            with contextlib.suppress(Exception):
                driver.remove_query_logger(on_query)
