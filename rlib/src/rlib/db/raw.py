"""A write unit's own pooled connection, its transaction run by the driver (asyncpg or aiosqlite).

An ``AsyncSession`` costs more CPU than the INSERT it runs (measured: a session, its connection
and commit ~0.35 ms per request against ~0.05 ms for a pool checkout). So a write unit checks a
connection out of the engine's own pool (no second pool, same limits), begins, runs compiled
statements on the driver and commits there. When a handler or hook then needs ``ctx.db``, the
session is bound to this very connection (:meth:`RawConnection.join`) and so shares its
transaction: everything the request writes still commits or rolls back as one.

This is the only module that knows how SQLAlchemy's asyncpg adapter tracks its transaction
(``_transaction``, ``_start_transaction``): a session joined later must see the transaction we
began, and our commit must leave the adapter as SQLAlchemy's own commit would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util import greenlet_spawn


class RawConnection:
    """One pooled DBAPI connection held by a unit of work; see the module docstring."""

    __slots__ = ("_adapter", "_fairy", "_joined", "driver", "is_postgres", "schema_translate_map")

    def __init__(
        self,
        fairy: Any,  # a pool-proxied connection
        *,
        is_postgres: bool,
        schema_translate_map: Mapping[str | None, str | None] | None = None,
    ) -> None:
        self._fairy = fairy
        self._adapter = fairy.dbapi_connection  # SQLAlchemy's adapter around the driver
        self.driver: Any = fairy.driver_connection  # asyncpg or aiosqlite Connection
        self.is_postgres = is_postgres
        # The engine's (or session connection's) execution option, which SQLAlchemy would apply
        # to every statement: statements compiled for the driver must apply it themselves.
        self.schema_translate_map = schema_translate_map or None
        self._joined: AsyncConnection | None = None

    @classmethod
    async def checkout(cls, engine: AsyncEngine) -> RawConnection:
        """A connection from ``engine``'s pool (returned by :meth:`close`)."""
        fairy = await engine.raw_connection()
        return cls(
            fairy,
            is_postgres=engine.dialect.name == "postgresql",
            schema_translate_map=engine.get_execution_options().get("schema_translate_map"),
        )

    @property
    def in_transaction(self) -> bool:
        """True while a transaction begun here (or by a joined session) is open."""
        if self.is_postgres:
            return self._adapter._transaction is not None
        return bool(self.driver.in_transaction)

    async def begin(self) -> None:
        """Begin a transaction unless one is open."""
        if self.is_postgres:
            await start_transaction(self._adapter)
        elif not self.driver.in_transaction:
            await self.driver.execute("BEGIN")

    async def commit(self) -> None:
        """Commit the open transaction (a no-op once a joined session committed it)."""
        if self.is_postgres:
            transaction, self._adapter._transaction = self._adapter._transaction, None
            if transaction is not None:
                await transaction.commit()
        elif self.driver.in_transaction:
            await self.driver.commit()

    async def rollback(self) -> None:
        """Roll back the open transaction, if any."""
        if self.is_postgres:
            transaction, self._adapter._transaction = self._adapter._transaction, None
            if transaction is not None and not self.driver.is_closed():
                await transaction.rollback()
        elif self.driver.in_transaction:
            await self.driver.rollback()

    def join(self, engine: AsyncEngine) -> AsyncConnection:
        """An ``AsyncConnection`` over this connection, for a session that joins the unit.

        Building it does no I/O; the session begins on it lazily (on SQLite the engine's
        ``begin`` hook skips BEGIN since one is open), and its commit commits our transaction.
        """
        if self._joined is None:
            self._joined = AsyncConnection(engine, Connection(engine.sync_engine, self._fairy))
        return self._joined

    async def close(self) -> None:
        """Give the connection back to the pool (rolled back if still open)."""
        if self._joined is not None:
            await self._joined.close()  # closes the fairy too
            return
        broken = self.is_postgres and self.driver.is_closed()
        if broken:
            self._adapter._transaction = None
            await greenlet_spawn(self._fairy.invalidate)  # also gives it back
            return
        if self.in_transaction:
            await self.rollback()
        # Committed or rolled back above, so the pool's reset-on-return rollback (a round trip
        # on SQLite) has nothing to do: skip it the way Connection does. In a greenlet still:
        # a connection beyond the pool's size is closed on check-in, which is I/O.
        await greenlet_spawn(self._fairy._close_special, transaction_reset=True)


async def start_transaction(adapter: Any) -> None:
    """Begin on SQLAlchemy's asyncpg adapter unless it is in a transaction or autocommit.

    Also used on a session's own connection: SQLAlchemy begins there only at its first
    statement, and a statement sent to the driver directly must not run outside it.
    """
    if adapter._transaction is None:
        await adapter._start_transaction()
