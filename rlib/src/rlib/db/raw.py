"""A write unit's own pooled connection, its transaction run by the driver (asyncpg or aiosqlite).

An ``AsyncSession`` costs more CPU than the INSERT it runs (measured: a session, its connection
and commit ~0.35 ms per request against ~0.05 ms for a pool checkout). So a write unit checks a
connection out of the engine's own pool (no second pool, same limits), begins, runs compiled
statements on the driver and commits there. When a handler or hook then needs ``ctx.db``, the
session is bound to this very connection (:meth:`RawConnection.join`) and so shares its
transaction: everything the request writes still commits or rolls back as one.

A session joined later must see the transaction we began, and our commit must leave
SQLAlchemy's asyncpg adapter as its own commit would: how the adapter tracks its transaction
is private to SQLAlchemy, so it is reached through ``rlib.db.driver`` only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util import greenlet_spawn

from rlib.db.driver import (
    begin_on_adapter,
    check_in_without_reset,
    connection_over,
    in_adapter_transaction,
    take_adapter_transaction,
)


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
            return in_adapter_transaction(self._adapter)
        return bool(self.driver.in_transaction)

    async def begin(self) -> None:
        """Begin a transaction unless one is open."""
        if self.is_postgres:
            await begin_on_adapter(self._adapter)
        elif not self.driver.in_transaction:
            await self.driver.execute("BEGIN")

    async def commit(self) -> None:
        """Commit the open transaction (a no-op once a joined session committed it)."""
        if self.is_postgres:
            transaction = take_adapter_transaction(self._adapter)
            if transaction is not None:
                await transaction.commit()
        elif self.driver.in_transaction:
            await self.driver.commit()

    async def rollback(self) -> None:
        """Roll back the open transaction, if any."""
        if self.is_postgres:
            transaction = take_adapter_transaction(self._adapter)
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
            self._joined = connection_over(engine, self._fairy)
        return self._joined

    async def close(self) -> None:
        """Give the connection back to the pool (rolled back if still open)."""
        if self._joined is not None:
            await self._joined.close()  # closes the fairy too
            return
        broken = self.is_postgres and self.driver.is_closed()
        if broken:
            take_adapter_transaction(self._adapter)
            await greenlet_spawn(self._fairy.invalidate)  # also gives it back
            return
        if self.in_transaction:
            await self.rollback()
        # Committed or rolled back above, so the pool's reset-on-return rollback (a round trip
        # on SQLite) has nothing to do: skip it the way Connection does.
        await check_in_without_reset(self._fairy)
