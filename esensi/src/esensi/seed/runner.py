"""Runs seed steps in order, each in its own transaction, with a progress bar.

A step inserts only the rows that are missing (ids are deterministic), so running the seed
again changes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase

from rlib import Scope
from rlib.db.engine import Database


@dataclass(frozen=True, slots=True)
class Step:
    """One named part of the data set; returns how many rows it added."""

    name: str
    run: Callable[[Scope, int], Awaitable[int]]


async def insert_missing(scope: Scope, rows: Sequence[DeclarativeBase]) -> int:
    """Add the rows whose primary key is not in the database yet; returns how many were added."""
    if not rows:
        return 0
    model = type(rows[0])
    key = model.__mapper__.primary_key[0]
    attr = model.__mapper__.get_property_by_column(key).key
    wanted = [getattr(row, attr) for row in rows]
    existing = set(await scope.db.scalars(select(key).where(key.in_(wanted))))
    fresh = [row for row in rows if getattr(row, attr) not in existing]
    scope.db.add_all(fresh)
    await scope.db.flush()
    return len(fresh)


async def run_steps(
    database: Database, steps: Sequence[Step], *, scale: int, quiet: bool
) -> dict[str, int]:
    """Run every step in its own transaction; returns rows added per step."""
    added: dict[str, int] = {}
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, disable=quiet) as progress:
        task = progress.add_task("demo data", total=len(steps))
        for step in steps:
            progress.update(task, description=f"seed: {step.name}")
            unit = database.unit()
            try:
                added[step.name] = await step.run(Scope(unit), scale)
                await unit.commit()
            finally:
                await unit.close()
            progress.advance(task)
    return added
