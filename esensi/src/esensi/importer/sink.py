"""Where imported rows go: our database in batches, each table with its progress bar.

Every insert skips keys already present (the original's ids are kept), which is what makes a
second run add nothing and an interrupted run continue where it stopped. ``dry_run`` counts
and reports without writing.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from rich.progress import Progress, TaskID
from sqlalchemy import Column, ColumnDefault, Table, literal, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from esensi.models import metadata


@dataclass
class _Job:
    table: str
    rows: list[dict[str, Any]]
    task: TaskID | None


@dataclass
class Sink:
    """Batched, idempotent writes into our database (or none on a dry run)."""

    engine: AsyncEngine
    batch: int = 1000
    dry_run: bool = False
    progress: Progress | None = None
    # Tables that were empty when their write began: their batches skip the staging table.
    fresh: set[str] = field(default_factory=set)

    _jobs: asyncio.Queue[_Job | None] = field(default_factory=asyncio.Queue)
    _writer: asyncio.Task[None] | None = None

    async def write(self, table_name: str, rows: list[dict[str, Any]]) -> int:
        """Hand ``rows`` to the writer, which inserts those not yet present ``batch`` at a time,
        table after table in the order handed over, while the import reads and cleans the next
        table; returns how many were handed over. A step reads our database only through
        :meth:`reading`, which waits for the rows handed over first."""
        if self._writer is not None and self._writer.done():
            await self.flush()  # raises what stopped the writer
        task = self.progress.add_task(table_name, total=len(rows)) if self.progress else None
        if self.dry_run:
            if self.progress is not None and task is not None:
                self.progress.advance(task, len(rows))
            return len(rows)
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_jobs())
        await self._jobs.put(_Job(table_name, rows, task))
        return len(rows)

    async def flush(self) -> None:
        """Wait until every row handed over is written; raises what stopped the writer."""
        writer, self._writer = self._writer, None
        if writer is None:
            return
        if not writer.done():
            await self._jobs.put(None)
        await writer

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection to our database that sees every row handed over so far: the writer
        runs behind the reads, so a step reading straight from the engine could miss the
        previous steps' rows (cfg already present, notifications already imported, balances)."""
        await self.flush()
        async with self.engine.connect() as conn:
            yield conn

    async def close(self) -> None:
        """Stop the writer without waiting for what is left (the run failed: a rerun resumes)."""
        writer, self._writer = self._writer, None
        if writer is not None and not writer.done():
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer

    async def _write_jobs(self) -> None:
        while (job := await self._jobs.get()) is not None:
            await self._write(job)

    async def _write(self, job: _Job) -> None:
        self.fresh.discard(job.table)
        if job.rows and await self._empty(job.table):
            self.fresh.add(job.table)
        for start in range(0, len(job.rows), self.batch):
            chunk = job.rows[start : start + self.batch]
            await self._insert_missing(job.table, chunk)
            if self.progress is not None and job.task is not None:
                self.progress.advance(job.task, len(chunk))

    async def _empty(self, table_name: str) -> bool:
        table = metadata.tables[table_name]
        async with self.engine.connect() as conn:
            return (
                await conn.execute(select(literal(1)).select_from(table).limit(1))
            ).first() is None

    async def _insert_missing(self, table_name: str, rows: list[dict[str, Any]]) -> int:
        # One transaction per batch: an interruption loses at most the batch in flight.
        async with self.engine.begin() as conn:
            return await self._insert_batch(conn, table_name, rows)

    async def _insert_batch(
        self, conn: AsyncConnection, table_name: str, rows: list[dict[str, Any]]
    ) -> int:
        """Insert ``rows`` minus the keys already present, inside the caller's transaction."""
        table = metadata.tables[table_name]
        if self.engine.dialect.name == "postgresql":
            return await _copy_missing(conn, table, rows, direct=table_name in self.fresh)
        # Link tables have a composite key instead of ``id``.
        key = list(table.primary_key.columns)
        statement = sqlite.insert(table).on_conflict_do_nothing(index_elements=key)
        result = await conn.execute(statement.returning(key[0]), rows)
        return len(result.all())


async def _copy_missing(
    conn: AsyncConnection, table: Table, rows: list[dict[str, Any]], *, direct: bool
) -> int:
    """PostgreSQL: the batch ``COPY``-ed (binary) into a temporary table dropped at commit,
    then moved with one ``INSERT … SELECT … ON CONFLICT DO NOTHING``; or, ``direct``, when
    the table was empty as this write began (a first run: every key in it is this write's
    own, from one source table's primary key), ``COPY``-ed into the table itself.

    Values go through each column's bind processing (JSON encoding, the bounded-text checks)
    as an ``INSERT`` would; a column the rows leave out takes its Python default, else the
    table's server default (ADR 0050).
    """
    dialect = conn.dialect
    given = [column for column in table.columns if column.name in rows[0]]
    defaulted = [
        column
        for column in table.columns
        if column.name not in rows[0] and isinstance(column.default, ColumnDefault)
    ]
    columns = [*given, *defaulted]
    processors = [column.type.bind_processor(dialect) for column in columns]
    converted = [(n, process) for n, process in enumerate(processors) if process is not None]
    makers = [_default(column) for column in defaulted]
    records = []
    for row in rows:
        values = [row[column.name] for column in given]
        values += [make() for make in makers]
        for n, process in converted:
            values[n] = process(values[n])
        records.append(values)
    names = ", ".join(f'"{column.name}"' for column in columns)
    stage = f"import_stage_{table.name}"
    key = ", ".join(f'"{column.name}"' for column in table.primary_key.columns)
    if direct:
        await conn.exec_driver_sql("SELECT 1")  # starts the driver's transaction
        driver = (await conn.get_raw_connection()).driver_connection
        assert driver is not None
        status = await driver.copy_records_to_table(
            table.name, records=records, columns=[c.name for c in columns]
        )
        return int(status.split()[-1])
    # Through SQLAlchemy first: that starts the driver's transaction the COPY then joins.
    await conn.exec_driver_sql(
        f'CREATE TEMPORARY TABLE "{stage}" ON COMMIT DROP AS '
        f'SELECT {names} FROM "{table.name}" WITH NO DATA'
    )
    driver = (await conn.get_raw_connection()).driver_connection
    assert driver is not None
    await driver.copy_records_to_table(stage, records=records, columns=[c.name for c in columns])
    moved = await conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{stage}" '
        f"ON CONFLICT ({key}) DO NOTHING"
    )
    await conn.exec_driver_sql(f'DROP TABLE "{stage}"')
    return int(moved.rowcount)


def _default(column: Column[Any]) -> Callable[[], Any]:
    """A column's Python-side default (a scalar, or a callable SQLAlchemy calls with a context
    the defaults used here never read)."""
    default = column.default
    assert isinstance(default, ColumnDefault)
    if default.is_callable:
        make = default.arg
        return lambda: make(None)
    value = default.arg
    return lambda: value
