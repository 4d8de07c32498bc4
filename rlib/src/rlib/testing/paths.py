"""Count which database paths requests took: the native read pool, raw reads, raw writes.

Production runs the fast paths (``DatabaseConfig.fast_path``); a test uses this to prove that
what it exercised went through them, not through a session alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from rlib.db.engine import Database


@dataclass
class PathCounts:
    """Connections units took, by path, while the counter was active."""

    native_reads: int = 0  # asyncpg connections from the native read pool (PostgreSQL)
    raw_reads: int = 0  # raw pooled connections of read-only units (SQLite)
    raw_writes: int = 0  # raw pooled connections write units began on

    @property
    def reads(self) -> int:
        """Reads that ran on a driver connection, whichever the backend."""
        return self.native_reads + self.raw_reads


@asynccontextmanager
async def count_paths(database: Database) -> AsyncIterator[PathCounts]:
    """Count the fast-path connections ``database``'s units take inside the block."""
    counts = PathCounts()

    def on_native(_connection: Any) -> None:
        counts.native_reads += 1

    def on_raw(kind: str) -> None:
        if kind == "write":
            counts.raw_writes += 1
        else:
            counts.raw_reads += 1

    database.raw_hooks.append(on_raw)
    if database.native is not None:
        database.native.hooks.append(on_native)
    try:
        yield counts
    finally:
        database.raw_hooks.remove(on_raw)
        if database.native is not None:
            database.native.hooks.remove(on_native)
