"""Running the cached read statements: on asyncpg directly for PostgreSQL, SQLAlchemy elsewhere.

On PostgreSQL a statement is compiled once (SQL text with ``$n`` placeholders and the order
of its bind names) and run with ``asyncpg.Connection.fetch``: on the read-only unit's native
connection (GET requests, see ``rlib.db.native``), or on the session's own connection, so it
is inside the request's transaction when there is one. asyncpg's statement cache prepares it
once per connection. This skips SQLAlchemy's per-execution work (context, result and row
objects), which dominated the read path's CPU time in the benchmark.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect

from rlib.scope import Scope

Row = dict[str, Any]
MAX_COMPILED = 2048


class Executor:
    """Compiles each statement once and runs it; results are plain dicts."""

    def __init__(self) -> None:
        self._compiled: dict[int, tuple[Select[Any], str, tuple[str, ...]]] = {}

    def _sql(self, stmt: Select[Any], dialect: Dialect) -> tuple[str, tuple[str, ...]]:
        found = self._compiled.get(id(stmt))
        if found is None or found[0] is not stmt:
            if len(self._compiled) >= MAX_COMPILED:  # statements evicted from their caches
                self._compiled.clear()
            compiled = stmt.compile(dialect=dialect)
            found = (stmt, compiled.string, tuple(compiled.positiontup or ()))
            self._compiled[id(stmt)] = found
        return found[1], found[2]

    async def _driver(self, scope: Scope) -> tuple[Any, Dialect]:
        dialect = scope.unit.dialect
        if dialect.name != "postgresql":
            return None, dialect
        driver = await scope.unit.driver()
        if driver is None:
            conn = await scope.db.connection()
            driver = (await conn.get_raw_connection()).driver_connection
        return driver, dialect

    async def rows(self, scope: Scope, stmt: Select[Any], params: dict[str, Any]) -> list[Row]:
        """Every row of ``stmt`` as a dict keyed by column name."""
        driver, dialect = await self._driver(scope)
        if driver is None:
            result = await scope.db.execute(stmt, params)
            names = list(result.keys())
            return [dict(zip(names, values, strict=True)) for values in result]
        sql, order = self._sql(stmt, dialect)
        records = await driver.fetch(sql, *[params[name] for name in order])
        return [dict(record) for record in records]

    async def scalar(self, scope: Scope, stmt: Select[Any], params: dict[str, Any]) -> Any:
        """The first column of the first row (``None`` without rows)."""
        driver, dialect = await self._driver(scope)
        if driver is None:
            return await scope.db.scalar(stmt, params)
        sql, order = self._sql(stmt, dialect)
        return await driver.fetchval(sql, *[params[name] for name in order])

    async def explain(self, scope: Scope, stmt: Select[Any], params: dict[str, Any]) -> Any:
        """PostgreSQL's JSON plan of ``stmt`` with ``params`` bound (asyncpg only)."""
        driver, dialect = await self._driver(scope)
        if driver is None:
            raise RuntimeError("EXPLAIN estimates need PostgreSQL")
        sql, order = self._sql(stmt, dialect)
        return await driver.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *[params[n] for n in order])
