"""``INSERT … RETURNING`` compiled once per column set and run on the driver.

SQLAlchemy spends more per execution (cache key, execution context, result objects) than the
driver does sending the row. Here the statement is compiled once for the keys a resource
inserts, and each execution does only what SQLAlchemy's execution would do to the values:
fill Python-side column defaults, apply each type's bind processor (so the bounded types
still refuse bad values), send, then apply the result processors to the returned row.
Driver errors are wrapped in SQLAlchemy's exception classes, so the integrity mapping and any
caller catching ``IntegrityError`` see the same thing as on the session path. An insert may
carry ``ON CONFLICT … DO NOTHING`` (:class:`OnConflictDoNothing`, PostgreSQL and SQLite), in
which case a duplicate returns no row (:meth:`CompiledInsert.one_or_none`). A connection's
``schema_translate_map`` execution option is rendered into the SQL, as SQLAlchemy would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, Table, insert, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.dml import Insert

from rlib.db.driver import column_default, positional_names, prefetched_columns
from rlib.db.integrity import column_value_error
from rlib.db.raw import RawConnection
from rlib.db.types import ColumnValueError

Processor = Callable[[Any], Any] | None
SchemaMap = Mapping[str | None, str | None]  # the schema_translate_map execution option
MAX_SHAPES = 64


@dataclass(frozen=True, slots=True)
class OnConflictDoNothing:
    """``ON CONFLICT (index_elements) [WHERE index_where] DO NOTHING``: a duplicate is skipped.

    ``index_where`` names a partial unique index by its predicate (SQL text).
    """

    index_elements: tuple[str, ...]
    index_where: str | None = None

    def statement(self, table: Table, dialect: Dialect) -> Insert:
        """The dialect's insert with this clause (only PostgreSQL and SQLite have it here)."""
        builders: dict[str, Callable[[Table], Any]] = {
            "postgresql": postgresql.insert,
            "sqlite": sqlite.insert,
        }
        build = builders.get(dialect.name)
        if build is None:
            raise NotImplementedError(f"ON CONFLICT DO NOTHING on {dialect.name}")
        where = None if self.index_where is None else text(self.index_where)
        stmt: Insert = build(table).on_conflict_do_nothing(
            index_elements=list(self.index_elements), index_where=where
        )
        return stmt


class _Shape:
    """One compiled INSERT: SQL text, bind order and processors, defaults, result processors."""

    __slots__ = ("_dialect", "_returning", "binds", "defaults", "names", "results", "sql")

    def __init__(
        self,
        stmt: Insert,
        returning: Sequence[Column[Any]],
        keys: Sequence[str],
        dialect: Dialect,
        schemas: SchemaMap | None = None,
    ) -> None:
        stmt = stmt.returning(*returning)
        compiled = stmt.compile(  # a schema map is rendered into the SQL, as SQLAlchemy does
            dialect=dialect,
            column_keys=list(keys),
            schema_translate_map=schemas,
            render_schema_translate=bool(schemas),
        )
        self.sql = compiled.string
        self.binds: list[tuple[str, Processor]] = [
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in positional_names(compiled)
        ]
        self.defaults: list[tuple[str, Any]] = [
            (col.key, _python_default(col)) for col in prefetched_columns(compiled)
        ]
        self.names = [col.name for col in returning]
        self._returning = returning
        self._dialect = dialect
        self.results: list[Processor] | None = None  # known once the result types are

    async def result_processors(self, raw: RawConnection) -> list[Processor]:
        """Each returned column's result processor (on PostgreSQL some need the type's OID)."""
        if self.results is None:
            if raw.is_postgres:  # one PREPARE per shape and process, never repeated
                prepared = await raw.driver.prepare(self.sql)
                coltypes: list[Any] = [attr.type.oid for attr in prepared.get_attributes()]
            else:
                coltypes = [None] * len(self._returning)
            self.results = [
                col.type.dialect_impl(self._dialect).result_processor(self._dialect, coltype)
                for col, coltype in zip(self._returning, coltypes, strict=True)
            ]
        return self.results

    def arguments(self, data: Mapping[str, Any]) -> list[Any]:
        params = dict(data)
        for key, default in self.defaults:
            params[key] = column_default(default, params)
        values = []
        for name, processor in self.binds:
            value = params[name]
            if processor is not None:
                try:
                    value = processor(value)
                except ColumnValueError as error:
                    raise column_value_error(name, error) from error
            values.append(value)
        return values

    def row(self, processors: list[Processor], values: Sequence[Any]) -> dict[str, Any]:
        return {
            name: value if processor is None else processor(value)
            for name, processor, value in zip(self.names, processors, values, strict=True)
        }


def _python_default(column: Column[Any]) -> Any:  # a ColumnDefault
    default = column.default
    if default is None or not (default.is_scalar or default.is_callable):
        raise NotImplementedError(f"{column.key}: only scalar or callable defaults run here")
    return default


class CompiledInsert:
    """Inserts one row into ``table`` on a raw connection, returning ``returning``."""

    def __init__(
        self,
        table: Table,
        returning: Sequence[Column[Any]],
        *,
        on_conflict: OnConflictDoNothing | None = None,
    ) -> None:
        self._table = table
        self._returning = list(returning)
        self._on_conflict = on_conflict
        self._shapes: dict[tuple[Any, ...], _Shape] = {}

    def supports(self, keys: tuple[str, ...], dialect: Dialect) -> bool:
        """False when a column default needs SQLAlchemy's execution (e.g. a prefetched sequence)
        or the dialect has no form of the ``ON CONFLICT`` clause asked for."""
        try:
            self._shape(keys, dialect)
        except NotImplementedError:
            return False
        return True

    def _shape(
        self, keys: tuple[str, ...], dialect: Dialect, schemas: SchemaMap | None = None
    ) -> _Shape:
        key: tuple[Any, ...] = (
            (dialect.name, keys) if not schemas else (dialect.name, keys, *schemas.items())
        )
        found = self._shapes.get(key)
        if found is None:
            if len(self._shapes) >= MAX_SHAPES:  # callers inserting ever new column sets
                self._shapes.clear()
            if self._on_conflict is None:
                stmt = insert(self._table)
            else:
                stmt = self._on_conflict.statement(self._table, dialect)
            found = self._shapes[key] = _Shape(stmt, self._returning, keys, dialect, schemas)
        return found

    async def one(
        self, raw: RawConnection, dialect: Dialect, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Insert ``data`` and return the row as SQLAlchemy would (processed values)."""
        row = await self.one_or_none(raw, dialect, data)
        if row is None:  # only an ON CONFLICT DO NOTHING insert returns nothing
            raise sa_exc.NoResultFound("INSERT … RETURNING returned no row")
        return row

    async def one_or_none(
        self, raw: RawConnection, dialect: Dialect, data: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """Like :meth:`one`, but None when ``ON CONFLICT … DO NOTHING`` skipped the row."""
        shape = self._shape(tuple(data), dialect, raw.schema_translate_map)
        args = shape.arguments(data)
        try:
            processors = await shape.result_processors(raw)
            if raw.is_postgres:
                record = await raw.driver.fetchrow(shape.sql, *args)
            else:  # one hop to aiosqlite's thread instead of execute + fetchone
                record = next(iter(await raw.driver.execute_fetchall(shape.sql, args)), None)
        except Exception as error:
            raise wrap_driver_error(error, shape.sql, args) from error
        return None if record is None else shape.row(processors, tuple(record))


def wrap_driver_error(error: Exception, sql: str, args: Sequence[Any]) -> Exception:
    """The SQLAlchemy exception the session path would have raised for a driver ``error``."""
    sqlstate = str(getattr(error, "sqlstate", "") or "")
    kind: type[sa_exc.DBAPIError]
    if sqlstate.startswith("23") or type(error).__name__ == "IntegrityError":
        kind = sa_exc.IntegrityError
    elif sqlstate.startswith("22") or type(error).__name__ == "DataError":
        kind = sa_exc.DataError
    elif type(error).__name__ == "OperationalError":  # sqlite3: "database is locked" and kin
        kind = sa_exc.OperationalError
    elif sqlstate or isinstance(error, OSError):
        kind = sa_exc.DBAPIError
    else:
        return error  # not the database's answer (a bug): raised as it is
    return kind(sql, tuple(args), error)
