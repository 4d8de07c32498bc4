"""Runs the seed steps in order with a progress bar, and inserts rows that are missing.

Ids are deterministic, so a step inserts only the rows whose key is not in the database yet and
running the seed again changes nothing. Rows are plain dicts inserted in batches with one
``INSERT`` per batch (multi-row, skipping taken keys), which keeps the large scales linear.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Insert, Table
from sqlalchemy.dialects import postgresql, sqlite

from esensi.models.base import Base
from rlib import Scope
from rlib.db.engine import Database

if TYPE_CHECKING:
    from esensi.seed.world import Block, Seeding

BATCH = 1000
# Blocks inserted together: one transaction and one statement per table for all of them, so
# large scales pay per-statement costs once per chunk rather than once per block.
CHUNK = 25
Row = Mapping[str, Any]
Tables = list[tuple[type[Base], Sequence[Row]]]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Step:
    """A part of the data set made once (whatever the scale); returns how many rows it added."""

    name: str
    run: Callable[[Scope, Seeding], Awaitable[int]]


@dataclass(frozen=True, slots=True)
class BlockStep:
    """A part of the data set made once per block (``--scale N`` makes N blocks): the rows of
    each table, in foreign-key order; no database access."""

    name: str
    rows: Callable[[Block], Tables]


def _batches(rows: Sequence[Row]) -> Iterator[Sequence[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _insert_new(dialect: str, table: Table) -> Insert:
    """``INSERT … ON CONFLICT (pk) DO NOTHING RETURNING pk``: a row whose key is taken is
    skipped (any other unique key still fails), and the returned keys count the added rows."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    keys = list(table.primary_key.columns)
    return insert(table).on_conflict_do_nothing(index_elements=keys).returning(*keys)


async def insert_rows(scope: Scope, model: type[Base], rows: Sequence[Row]) -> int:
    """Insert the rows that are missing, a batch per statement; returns how many were added.

    Every row of one call must carry the same keys (one multi-row statement per batch).
    The database skips the rows whose primary key exists: an earlier ``SELECT pk IN (…)``
    per batch made a 2400-block seed quadratic on PostgreSQL, whose cached plan for it,
    made while the table was small, stayed a sequential scan as the table grew.
    """
    table = model.__table__
    assert isinstance(table, Table)
    statement = _insert_new(scope.db.get_bind().dialect.name, table)
    added = 0
    for batch in _batches(rows):
        # Core, not ORM, insert: the ORM bulk path prepares every row on its own.
        added += len((await scope.db.execute(statement, list(batch))).all())
    return added


async def insert_tables(scope: Scope, tables: Tables) -> int:
    """:func:`insert_rows` for each (model, rows) in order; returns how many were added."""
    added = 0
    for model, rows in tables:
        added += await insert_rows(scope, model, rows)
    return added


async def run_steps(
    database: Database,
    seeding: Seeding,
    *,
    before: Sequence[Step],
    per_block: Sequence[BlockStep],
    after: Sequence[Step],
    quiet: bool,
) -> dict[str, int]:
    """Run ``before``, then ``per_block`` for every block, then ``after``; rows added per step.

    Each fixed step and each chunk of blocks is one transaction, so an interrupted seed resumes
    where it stopped on the next run.
    """
    added = dict.fromkeys([s.name for s in (*before, *after)] + [s.name for s in per_block], 0)
    columns = (
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, disable=quiet) as progress:
        task = progress.add_task("demo data", total=len(before) + seeding.scale + len(after))
        for step in before:
            progress.update(task, description=f"seed: {step.name}")
            added[step.name] += await _in_unit(database, _bind(step, seeding))
            progress.advance(task)
        for first in range(0, seeding.scale, CHUNK):
            numbers = range(first, min(first + CHUNK, seeding.scale))
            progress.update(task, description=f"seed: blocks {first + 1}-{numbers[-1] + 1}")
            chunk = [seeding.block(n) for n in numbers]
            work = partial(_blocks, blocks=chunk, steps=per_block)
            for name, count in (await _in_unit(database, work)).items():
                added[name] += count
            progress.advance(task, len(chunk))
        for step in after:
            progress.update(task, description=f"seed: {step.name}")
            added[step.name] += await _in_unit(database, _bind(step, seeding))
            progress.advance(task)
    return added


def _bind(step: Step, seeding: Seeding) -> Callable[[Scope], Awaitable[int]]:
    async def work(scope: Scope) -> int:
        return await step.run(scope, seeding)

    return work


async def _blocks(
    scope: Scope, *, blocks: Sequence[Block], steps: Sequence[BlockStep]
) -> dict[str, int]:
    added = {}
    for step in steps:
        tables: dict[type[Base], list[Row]] = {}
        for block in blocks:
            for model, rows in step.rows(block):
                tables.setdefault(model, []).extend(rows)
        added[step.name] = await insert_tables(scope, list(tables.items()))
    return added


async def _in_unit(database: Database, work: Callable[[Scope], Awaitable[T]]) -> T:
    unit = database.unit()
    try:
        async with unit.transaction():
            result = await work(Scope(unit))
        return result
    finally:
        await unit.close()
