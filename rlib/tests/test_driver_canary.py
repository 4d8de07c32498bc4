"""Canaries: each private detail rlib.db.driver relies on still behaves so with the locked versions.

A failure names the internal that changed; until rlib.db.driver is adapted to it, production
can run with ``ESENSI_DB__FAST_PATH=false`` (``DatabaseConfig.fast_path``), which avoids them.
"""

from __future__ import annotations

import ast
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, event, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.util import greenlet_spawn

from rlib.db.driver import (
    FAST_PATH_INTERNALS,
    begin_on_adapter,
    check_in_without_reset,
    column_default,
    connection_over,
    expand_in,
    in_adapter_transaction,
    positional_names,
    prefetched_columns,
    sessions_bind,
    sqlite3_connection,
    take_adapter_transaction,
)
from rlib.testing import sqlite_url

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
needs_postgres = pytest.mark.skipif(not PG_URL, reason="asyncpg internals need PostgreSQL")

ADAPTER = "AsyncAdapt_asyncpg_connection._transaction / ._start_transaction()"
CLOSE_SPECIAL = "_ConnectionFairy._close_special(transaction_reset=True)"
HAND_BUILT = "Connection(engine.sync_engine, fairy)"

metadata = MetaData()
canary = Table(
    "canary",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("title", String(20)),
    Column("slug", String(20), default=lambda ctx: ctx.current_parameters["title"].lower()),
    Column("rank", Integer, default=lambda: 7),
    Column("kind", String(5), default="plain"),
)


def relied_on(internal: str, holds: bool, expected: str) -> None:
    """Fail naming ``internal`` unless ``holds``."""
    if not holds:
        pytest.fail(f"{internal} no longer behaves as rlib.db.driver relies on: {expected}")


@pytest.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    from rlib.config import DatabaseConfig
    from rlib.db.engine import create_engine

    engine = create_engine(DatabaseConfig(url=sqlite_url(tmp_path), pool_size=2))
    yield engine
    await engine.dispose()


@pytest.fixture
async def pg_engine() -> AsyncIterator[AsyncEngine]:
    from rlib.config import DatabaseConfig
    from rlib.db.engine import create_engine

    engine = create_engine(DatabaseConfig(url=str(PG_URL), pool_size=2))
    yield engine
    await engine.dispose()


def test_every_fast_path_internal_is_a_function_of_the_driver_module():
    from rlib.db import driver

    assert all(callable(getattr(driver, name)) for name in FAST_PATH_INTERNALS)


@needs_postgres
async def test_the_asyncpg_adapter_tracks_the_transaction_we_begin(pg_engine):
    fairy = await pg_engine.raw_connection()
    adapter, asyncpg_connection = fairy.dbapi_connection, fairy.driver_connection
    try:
        relied_on(ADAPTER, not in_adapter_transaction(adapter), "no transaction at checkout")
        await begin_on_adapter(adapter)
        relied_on(
            ADAPTER,
            in_adapter_transaction(adapter) and asyncpg_connection.is_in_transaction(),
            "_start_transaction() runs BEGIN and keeps the transaction in _transaction",
        )
        transaction = take_adapter_transaction(adapter)
        relied_on(ADAPTER, not in_adapter_transaction(adapter), "_transaction can be taken")
        await transaction.commit()
        relied_on(
            ADAPTER,
            not asyncpg_connection.is_in_transaction(),
            "_transaction holds the asyncpg Transaction whose commit() ends it",
        )
    finally:
        await check_in_without_reset(fairy)


@needs_postgres
async def test_a_session_on_a_hand_built_connection_commits_our_transaction(pg_engine):
    fairy = await pg_engine.raw_connection()
    asyncpg_connection = fairy.driver_connection
    await begin_on_adapter(fairy.dbapi_connection)
    await asyncpg_connection.execute("CREATE TEMP TABLE canary_joined (x int)")
    joined = connection_over(pg_engine, fairy)
    async with AsyncSession(bind=joined) as session:
        await session.execute(sql_text("INSERT INTO canary_joined VALUES (1)"))
        await session.commit()
    relied_on(
        f"{HAND_BUILT} with {ADAPTER}",
        not asyncpg_connection.is_in_transaction()
        and await asyncpg_connection.fetchval("SELECT count(*) FROM canary_joined") == 1,
        "a session bound to it joins the transaction begun on the adapter and commits it",
    )
    await joined.close()
    relied_on(HAND_BUILT, pg_engine.pool.checkedout() == 0, "closing it checks the fairy in")  # type: ignore[attr-defined]


async def test_a_hand_built_connection_runs_on_the_checked_out_connection(sqlite_engine):
    fairy = await sqlite_engine.raw_connection()
    joined = connection_over(sqlite_engine, fairy)
    raw = await joined.get_raw_connection()
    relied_on(HAND_BUILT, raw.driver_connection is fairy.driver_connection, "same connection")
    relied_on(HAND_BUILT, await joined.scalar(sql_text("SELECT 1")) == 1, "it executes")
    await joined.close()
    pool: Any = sqlite_engine.pool
    relied_on(HAND_BUILT, pool.checkedout() == 0, "closing it checks the fairy back in")


async def _check_in_skips_the_reset(engine: AsyncEngine) -> None:
    # The pool's "reset" event tells whether the rollback-on-return ran (PoolResetState).
    resets: list[bool] = []
    event.listen(
        engine.sync_engine,
        "reset",
        lambda _c, _r, state: resets.append(state.transaction_was_reset),
    )
    pool: Any = engine.pool
    fairy = await engine.raw_connection()
    await check_in_without_reset(fairy)
    relied_on(CLOSE_SPECIAL, pool.checkedout() == 0, "the connection is checked back in")
    relied_on(CLOSE_SPECIAL, resets == [True], f"no rollback-on-return runs: {resets}")
    fairy = await engine.raw_connection()  # the control: an ordinary check-in rolls back
    await greenlet_spawn(fairy.close)
    relied_on("PoolResetState", resets == [True, False], f"ordinary check-in resets: {resets}")


async def test_checking_in_without_the_reset_on_sqlite(sqlite_engine):
    await _check_in_skips_the_reset(sqlite_engine)


@needs_postgres
async def test_checking_in_without_the_reset_on_postgresql(pg_engine):
    await _check_in_skips_the_reset(pg_engine)


@pytest.mark.parametrize(
    ("dialect", "marks"), [(postgresql.asyncpg.dialect(), ("$1", "$2")), (sqlite.dialect(), "??")]
)
def test_positiontup_lists_the_binds_in_placeholder_order(dialect, marks):
    stmt = select(canary.c.id).where(
        canary.c.title == bindparam("second"), canary.c.id > bindparam("first")
    )
    compiled = stmt.compile(dialect=dialect)
    names = positional_names(compiled)
    relied_on("SQLCompiler.positiontup", names == ("second", "first"), f"{names} in SQL order")
    relied_on("SQLCompiler.positiontup", all(m in compiled.string for m in marks), "positional")


def test_insert_prefetch_lists_the_python_side_defaults():
    compiled = insert(canary).compile(dialect=sqlite.dialect(), column_keys=["title"])
    found = {column.key for column in prefetched_columns(compiled)}
    relied_on("SQLCompiler.insert_prefetch", found == {"slug", "rank", "kind"}, f"got {found}")


def test_callable_defaults_take_the_execution_context():
    params: dict[str, Any] = {"title": "Judul"}
    values = {key: column_default(canary.c[key].default, params) for key in ("slug", "rank")}
    relied_on(
        "ColumnDefault.arg",
        values == {"slug": "judul", "rank": 7},
        "every callable is wrapped to take the context (current_parameters)",
    )
    relied_on("ColumnDefault.arg", column_default(canary.c.kind.default, params) == "plain", "")


def test_an_expanding_in_compiles_to_a_postcompile_placeholder():
    stmt = select(canary.c.id).where(canary.c.id.in_(bindparam("ids", expanding=True)))
    compiled = stmt.compile(dialect=sqlite.dialect())
    relied_on(
        "__[POSTCOMPILE_<name>]",
        "__[POSTCOMPILE_ids]" in compiled.string,
        f"an expanding IN renders the placeholder: {compiled.string}",
    )
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE canary (id INTEGER PRIMARY KEY)")
    connection.executemany("INSERT INTO canary VALUES (?)", [(1,), (2,), (3,)])
    found = connection.execute(expand_in(compiled.string, "ids", "?, ?"), (1, 3)).fetchall()
    connection.close()
    relied_on("__[POSTCOMPILE_<name>]", found == [(1,), (3,)], "the expanded SQL runs")


def test_a_sessionmaker_keeps_its_bind_in_kw(sqlite_engine):
    relied_on(
        "sessionmaker.kw", sessions_bind(async_sessionmaker(sqlite_engine)) is sqlite_engine, ""
    )
    relied_on("sessionmaker.kw", sessions_bind(async_sessionmaker()) is None, "no bind: None")


async def test_aiosqlite_runs_on_a_sqlite3_connection():
    async with aiosqlite.connect(":memory:") as connection:
        relied_on(
            "aiosqlite.Connection._conn",
            isinstance(sqlite3_connection(connection), sqlite3.Connection),
            "the sqlite3.Connection underneath",
        )


# Not underscored, yet internals too: the compiler's bookkeeping and sessionmaker's kwargs.
UNDOCUMENTED = {"positiontup", "insert_prefetch", "kw"}
# Private names of our own classes (``_live``, the local bus's ``_on_event``), the standard
# library's, and SQLAlchemy's ``Row._mapping`` (underscored to avoid column clashes, documented
# public API).
OWN_OR_STDLIB = {"_live", "_getframe", "_on_event", "_mapping"}


def _private_uses(path: Path) -> list[str]:
    found = []
    source = path.read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "Connection":
            found.append(f"{path}:{node.lineno}: a hand-built Connection")
        if not isinstance(node, ast.Attribute):
            continue
        name = node.attr
        on_self = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
        private = name.startswith("_") and not name.startswith("__") and not on_self
        if (private and name not in OWN_OR_STDLIB) or name in UNDOCUMENTED:
            found.append(f"{path}:{node.lineno}: .{name}")
    if "POSTCOMPILE" in source:
        found.append(f"{path}: __[POSTCOMPILE_…]")
    return found


def test_only_the_driver_module_touches_private_details_of_dependencies():
    root = Path(__file__).resolve().parents[2]
    driver_module = root / "rlib/src/rlib/db/driver.py"
    sources = [*(root / "rlib/src").rglob("*.py"), *(root / "esensi/src").rglob("*.py")]
    offenders = [use for path in sources if path != driver_module for use in _private_uses(path)]
    assert offenders == [], "move these behind rlib/db/driver.py (with a canary)"
