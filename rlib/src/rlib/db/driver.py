"""Every private detail of SQLAlchemy, asyncpg and aiosqlite that rlib relies on, in one place.

The fast paths (native reads ADR 0008 and 0015, raw writes ADR 0014 and 0016) run compiled
statements on the driver's connection and keep SQLAlchemy's bookkeeping in step by hand. What
they need and no public API offers is reached only through this module, and
``rlib/tests/test_driver_canary.py`` checks each item with the locked versions, failing with
the item's name when an upgrade changes it. ``DatabaseConfig.fast_path=False``
(``ESENSI_DB__FAST_PATH=false``) runs every statement through SQLAlchemy's public API instead:
then nothing here but :func:`sessions_bind` and the test tool :func:`sqlite3_connection` runs.

What is touched, and why:

- ``AsyncAdapt_asyncpg_connection._transaction`` (SQLAlchemy's adapter around asyncpg): the
  asyncpg ``Transaction`` the adapter tracks. Read to know whether one is open; taken from the
  adapter before we commit or roll it back on asyncpg, so the adapter ends as its own commit
  leaves it (no transaction) and a session joined later does not commit it twice.
- ``AsyncAdapt_asyncpg_connection._start_transaction()``: BEGIN as the adapter does it (its
  isolation level; nothing in autocommit), so a session joined later sees our transaction
  open instead of beginning another, and a statement sent to asyncpg directly on a session's
  connection runs inside the session's transaction (SQLAlchemy begins only at its first one).
- ``_ConnectionFairy._close_special(transaction_reset=True)`` (the pool's checked-out
  connection): check a connection back in without the reset-on-return ROLLBACK, a round trip
  with nothing to undo once we committed or rolled back, as ``Connection.close`` does.
- ``Connection(engine.sync_engine, fairy)``: a ``Connection`` built over a pooled connection
  already checked out (the ``connection`` argument is undocumented), wrapped in an
  ``AsyncConnection``, so a session bound to it joins the raw unit's transaction.
- ``SQLCompiler.positiontup``: the bind parameter names in the order of the positional
  placeholders (``$1``, ``?``), to build the argument list a driver call takes.
- ``SQLCompiler.insert_prefetch``: the columns whose Python-side default SQLAlchemy computes
  before an INSERT, which a compiled insert must compute the same way.
- ``ColumnDefault.arg`` of a callable default: SQLAlchemy wraps every callable to take one
  argument, the execution context, whose ``current_parameters`` a context-sensitive default
  reads; :func:`column_default` passes a stand-in.
- ``__[POSTCOMPILE_<name>]``: the placeholder an expanding ``IN`` parameter compiles to, replaced
  at execution by one placeholder per value; :func:`expand_in` does it for a driver call.
- ``sessionmaker.kw["bind"]``: what a session factory binds its sessions to (a test or an app may
  bind them to one connection, and then no unit may take a connection of its own).
- ``aiosqlite.Connection._conn``: the ``sqlite3.Connection`` underneath, whose trace callback
  counts statements (``rlib.testing.statements`` only).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column
from sqlalchemy.engine import Compiled, Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker
from sqlalchemy.util import greenlet_spawn

# -- SQLAlchemy's asyncpg adapter -----------------------------------------------------------


def in_adapter_transaction(adapter: Any) -> bool:
    """True while SQLAlchemy's asyncpg ``adapter`` tracks an open transaction."""
    return adapter._transaction is not None


async def begin_on_adapter(adapter: Any) -> None:
    """BEGIN on SQLAlchemy's asyncpg ``adapter`` unless it is in a transaction or autocommit."""
    if adapter._transaction is None:
        await adapter._start_transaction()


def take_adapter_transaction(adapter: Any) -> Any:  # asyncpg Transaction or None
    """The adapter's open asyncpg transaction, which it forgets (the caller ends it)."""
    transaction, adapter._transaction = adapter._transaction, None
    return transaction


# -- SQLAlchemy's pool and Connection ---------------------------------------------------------


async def check_in_without_reset(fairy: Any) -> None:
    """Give a checked-out pooled connection back, skipping the reset-on-return rollback.

    Only for a connection whose transaction was just committed or rolled back. In a greenlet:
    a connection beyond the pool's size is closed on check-in, which is I/O.
    """
    await greenlet_spawn(fairy._close_special, transaction_reset=True)


def connection_over(engine: AsyncEngine, fairy: Any) -> AsyncConnection:
    """An ``AsyncConnection`` on an already checked-out pooled connection (no I/O).

    Closing it checks ``fairy`` back in.
    """
    return AsyncConnection(engine, Connection(engine.sync_engine, fairy))


def sessions_bind(factory: async_sessionmaker[Any]) -> Any:
    """What ``factory`` binds its sessions to (an engine, a connection, or None)."""
    return factory.kw.get("bind")


# -- SQLAlchemy's compiler --------------------------------------------------------------------


def positional_names(compiled: Compiled) -> tuple[str, ...]:
    """The bind parameter names in the order of the statement's positional placeholders."""
    return tuple(compiled.positiontup or ())  # type: ignore[attr-defined]  # SQLCompiler's


def prefetched_columns(compiled: Compiled) -> list[Column[Any]]:
    """The columns whose Python-side default SQLAlchemy computes before this INSERT runs."""
    return list(compiled.insert_prefetch)  # type: ignore[attr-defined]  # SQLCompiler's


def expand_in(sql: str, name: str, placeholders: str) -> str:
    """``sql`` with the expanding parameter ``name`` replaced by ``placeholders``."""
    return sql.replace(f"__[POSTCOMPILE_{name}]", placeholders)


class _DefaultContext:
    # What a context-taking column default reads (SQLAlchemy passes its execution context).
    __slots__ = ("current_parameters",)

    def __init__(self, params: dict[str, Any]) -> None:
        self.current_parameters = params

    def get_current_parameters(self, isolate_multiinsert_groups: bool = True) -> dict[str, Any]:
        return self.current_parameters


def column_default(default: Any, params: dict[str, Any]) -> Any:  # a ColumnDefault
    """The value a scalar or callable column default gives for the row ``params``."""
    if not default.is_callable:
        return default.arg
    return default.arg(_DefaultContext(params))


# -- aiosqlite -------------------------------------------------------------------------------


def sqlite3_connection(connection: Any) -> sqlite3.Connection:  # an aiosqlite Connection
    """The ``sqlite3.Connection`` an aiosqlite connection runs on (in its own thread)."""
    found: sqlite3.Connection = connection._conn
    return found


FAST_PATH_INTERNALS: Sequence[str] = (
    "in_adapter_transaction",
    "begin_on_adapter",
    "take_adapter_transaction",
    "check_in_without_reset",
    "connection_over",
    "positional_names",
    "prefetched_columns",
    "expand_in",
    "column_default",
)
"""What only the fast paths call (tests forbid them when ``fast_path`` is off)."""
