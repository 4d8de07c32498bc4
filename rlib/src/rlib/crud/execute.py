"""Running the cached read statements: on asyncpg directly for PostgreSQL, SQLAlchemy elsewhere.

On PostgreSQL a statement is compiled once (SQL text with ``$n`` placeholders and the order
of its bind names) and run with ``asyncpg.Connection.fetch``: on the read-only unit's native
connection (GET requests, see ``rlib.db.native``), or on the session's own connection, so it
is inside the request's transaction when there is one. asyncpg's statement cache prepares it
once per connection. This skips SQLAlchemy's per-execution work (context, result and row
objects), which dominated the read path's CPU time in the benchmark.

What SQLAlchemy's execution does to values is done here too, so a row reads the same on
either path: each bind parameter goes through its type's bind processor, and each returned
column through its type's result processor (JSON, TypeDecorators such as ``UtcDateTime``,
Enum, Boolean on SQLite, Numeric). On PostgreSQL some result processors depend on the
column's type OID, read from one PREPARE per statement and process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

from rlib.db.driver import expand_in, positional_names
from rlib.scope import Scope

Row = dict[str, Any]
Processor = Callable[[Any], Any] | None
MAX_COMPILED = 2048


class _Compiled:
    """One statement compiled for one dialect: SQL text, binds in order, result processors."""

    __slots__ = (
        "_dialect",
        "_types",
        "binds",
        "defaults",
        "expanding",
        "names",
        "processors",
        "sql",
        "stmt",
    )

    def __init__(self, stmt: Select[Any], dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.stmt = stmt
        self.sql = compiled.string
        self.binds: list[tuple[str, Processor]] = [
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in positional_names(compiled)
        ]
        # An expanding IN (includes on SQLite) is spliced in per call: one "?" per value.
        self.expanding = {name for name, _ in self.binds if compiled.binds[name].expanding}
        # Values the statement carries itself (``status == 'published'``, ``limit(20)``): a
        # statement built once at import binds only what changes per call.
        self.defaults = {
            name: compiled.binds[name].effective_value
            for name, _ in self.binds
            if not compiled.binds[name].required
        }
        self.names = list(stmt.selected_columns.keys())  # what the session's result.keys() says
        self._dialect = dialect
        self._types = [column.type for column in stmt.selected_columns]
        self.processors: list[Processor] | None = None  # known once the column types are

    def arguments(self, params: dict[str, Any]) -> list[Any]:
        if self.defaults:
            params = {**self.defaults, **params}
        return [
            params[name] if processor is None else processor(params[name])
            for name, processor in self.binds
        ]

    def runs_natively(self, params: dict[str, Any]) -> bool:
        """False for an empty expanding IN (SQLAlchemy renders a special empty-set form)."""
        return not self.expanding or all(params[name] for name in self.expanding)

    def expanded(self, params: dict[str, Any]) -> tuple[str, list[Any]]:
        """SQL and arguments with each expanding parameter spliced in (qmark style)."""
        if not self.expanding:
            return self.sql, self.arguments(params)
        if self.defaults:
            params = {**self.defaults, **params}
        sql, values = self.sql, []
        for name, processor in self.binds:
            if name not in self.expanding:
                values.append(params[name] if processor is None else processor(params[name]))
                continue
            items = list(params[name])
            marks = ", ".join("?" * len(items))
            sql = expand_in(sql, name, marks)
            values.extend(items if processor is None else [processor(item) for item in items])
        return sql, values

    async def result_processors(self, driver: Any) -> list[Processor]:
        """Each column's result processor; None for all when no column has one."""
        if self.processors is None:
            coltypes: Sequence[Any] = [None] * len(self._types)
            if self._dialect.name == "postgresql":  # once per statement and process
                prepared = await driver.prepare(self.sql)
                coltypes = [attr.type.oid for attr in prepared.get_attributes()]
            self.processors = [
                sa_type.dialect_impl(self._dialect).result_processor(self._dialect, coltype)
                for sa_type, coltype in zip(self._types, coltypes, strict=True)
            ]
        return self.processors


def _processed(records: Sequence[Any], processors: list[Processor]) -> list[Row]:
    if all(processor is None for processor in processors):
        return [dict(record) for record in records]
    if not records:
        return []
    names = list(records[0].keys())
    pairs = list(zip(names, processors, strict=True))
    return [
        {
            name: value if processor is None else processor(value)
            for (name, processor), value in zip(pairs, record, strict=True)
        }
        for record in records
    ]


def _processed_tuples(names: list[str], tuples: Any, processors: list[Processor]) -> list[Row]:
    if all(processor is None for processor in processors):
        return [dict(zip(names, values, strict=True)) for values in tuples]
    pairs = list(zip(names, processors, strict=True))
    return [
        {
            name: value if processor is None else processor(value)
            for (name, processor), value in zip(pairs, values, strict=True)
        }
        for values in tuples
    ]


class Explain(Executable, ClauseElement):
    """``EXPLAIN (FORMAT JSON)`` of a select, for SQLAlchemy's own execution."""

    inherit_cache = False  # holds a statement: not cacheable as it is

    def __init__(self, stmt: Select[Any]) -> None:
        self.stmt = stmt


@compiles(Explain, "postgresql")
def _compile_explain(element: Explain, compiler: Any, **kw: Any) -> str:
    return f"EXPLAIN (FORMAT JSON) {compiler.process(element.stmt, **kw)}"


class Executor:
    """Compiles each statement once and runs it; results are plain dicts."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[int, str], _Compiled] = {}

    def _statement(self, stmt: Select[Any], dialect: Dialect) -> _Compiled:
        # By dialect too: a statement built once at import may run on SQLite and PostgreSQL
        # in one process (the tests).
        key = (id(stmt), dialect.name)
        found = self._compiled.get(key)
        if found is None or found.stmt is not stmt:
            if len(self._compiled) >= MAX_COMPILED:  # statements evicted from their caches
                self._compiled.clear()
            found = self._compiled[key] = _Compiled(stmt, dialect)
        return found

    async def _driver(self, scope: Scope) -> tuple[Any, Dialect]:
        # asyncpg: the read-only unit's native connection or the session's own; aiosqlite:
        # the read-only unit's raw connection only (a write unit's reads use its session).
        # None with the fast paths off: every statement then runs on the session.
        dialect = scope.unit.dialect
        driver = await scope.unit.driver()
        if driver is None and dialect.name == "postgresql" and scope.unit.fast_path:
            conn = await scope.db.connection()
            driver = (await conn.get_raw_connection()).driver_connection
        return driver, dialect

    async def rows(self, scope: Scope, stmt: Select[Any], params: dict[str, Any]) -> list[Row]:
        """Every row of ``stmt`` as a dict keyed by column name."""
        driver, dialect = await self._driver(scope)
        compiled = self._statement(stmt, dialect) if driver is not None else None
        if compiled is None or not compiled.runs_natively(params):
            result = await scope.db.execute(stmt, params)
            names = list(result.keys())
            return [dict(zip(names, values, strict=True)) for values in result]
        processors = await compiled.result_processors(driver)
        if dialect.name == "postgresql":
            records = await driver.fetch(compiled.sql, *compiled.arguments(params))
            return _processed(records, processors)
        sql, arguments = compiled.expanded(params)
        tuples = await driver.execute_fetchall(sql, arguments)  # one hop to its thread
        return _processed_tuples(compiled.names, tuples, processors)

    async def scalar(self, scope: Scope, stmt: Select[Any], params: dict[str, Any]) -> Any:
        """The first column of the first row (``None`` without rows)."""
        driver, dialect = await self._driver(scope)
        compiled = self._statement(stmt, dialect) if driver is not None else None
        if compiled is None or not compiled.runs_natively(params):
            return await scope.db.scalar(stmt, params)
        processor = (await compiled.result_processors(driver))[0]
        if dialect.name == "postgresql":
            value = await driver.fetchval(compiled.sql, *compiled.arguments(params))
        else:
            sql, arguments = compiled.expanded(params)
            found = list(await driver.execute_fetchall(sql, arguments))
            value = found[0][0] if found else None
        return value if processor is None else processor(value)

    async def explain(self, scope: Scope, stmt: Select[Any], params: dict[str, Any]) -> Any:
        """PostgreSQL's JSON plan of ``stmt`` with ``params`` bound (asyncpg only)."""
        driver, dialect = await self._driver(scope)
        if dialect.name != "postgresql":
            raise RuntimeError("EXPLAIN estimates need PostgreSQL")
        if driver is None:  # fast paths off: compiled and run by SQLAlchemy
            return await scope.db.scalar(Explain(stmt), params)
        compiled = self._statement(stmt, dialect)
        sql = f"EXPLAIN (FORMAT JSON) {compiled.sql}"
        return await driver.fetchval(sql, *compiled.arguments(params))
