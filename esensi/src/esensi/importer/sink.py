"""Where imported rows go: our database in batches, each table with its progress bar.

Every insert skips keys already present (the original's ids are kept), which is what makes a
second run add nothing and an interrupted run continue where it stopped. ``dry_run`` counts
and reports without writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.progress import Progress
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from esensi.models import metadata


@dataclass
class Sink:
    """Batched, idempotent writes into our database (or none on a dry run)."""

    engine: AsyncEngine
    batch: int = 1000
    dry_run: bool = False
    progress: Progress | None = None

    async def write(self, table_name: str, rows: list[dict[str, Any]]) -> int:
        """Insert the rows not yet present, ``batch`` at a time; returns how many were new."""
        task = self.progress.add_task(table_name, total=len(rows)) if self.progress else None
        added = 0
        for start in range(0, len(rows), self.batch):
            chunk = rows[start : start + self.batch]
            if not self.dry_run:
                added += await self._insert_missing(table_name, chunk)
            if self.progress is not None and task is not None:
                self.progress.advance(task, len(chunk))
        return added

    async def _insert_missing(self, table_name: str, rows: list[dict[str, Any]]) -> int:
        table = metadata.tables[table_name]
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        # Link tables have a composite key instead of ``id``.
        key = list(table.primary_key.columns)
        statement = dialect.insert(table).on_conflict_do_nothing(index_elements=key)
        # One transaction per batch: an interruption loses at most the batch in flight.
        async with self.engine.begin() as conn:
            result = await conn.execute(statement.returning(key[0]), rows)
            return len(result.all())
