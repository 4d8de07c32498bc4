"""An import killed mid-table continues on the next run and ends exactly as an uninterrupted one.

The kill happens inside a batch's transaction, after its rows were written and before the
commit (what a ``kill -9`` or a dropped connection does to the batch in flight): the batch is
rolled back, the next run skips the rows already committed and writes the rest. The run is
killed again and again, every few batches, so the interruptions land in the middle of every
table of the import; the final contents of every table must equal an uninterrupted import's.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
from import_original.original_data import Planted
from import_original.original_source import (
    filled_source,
)
from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from conftest_helpers import empty_database
from esensi.importer.report import Report
from esensi.importer.run import run_import
from esensi.importer.sink import Sink
from esensi.models import metadata
from rlib.db.engine import Database

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
BATCH = 30
KILL_EVERY = 5  # batches committed by each killed run before the next kill

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)"),
]


class Killed(Exception):
    """The stand-in for a killed process: raised inside a batch's transaction."""


@pytest.fixture(scope="module")
def source_url() -> Iterator[tuple[str, Planted]]:
    with filled_source(users=400, products=120, orders=100) as made:
        yield made


IMPORT_TIME = "<stamped by the import>"


def _value(value: Any, started: dt.datetime) -> Any:
    """A moment taken during the import (a column the source has no value for, stamped by
    its default) differs from run to run; every moment carried from the source is older."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return IMPORT_TIME if aware >= started else aware
    return value


async def _contents(database: Database, started: dt.datetime) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    contents: dict[str, list[tuple[Any, ...]]] = {}
    async with database.engine.connect() as conn:
        for table in metadata.sorted_tables:
            keys = list(table.primary_key.columns)
            if _numbered_by_us(table):
                # Our own sequence numbers these rows (notif): a killed run used some numbers,
                # so compare everything but the number.
                columns = [c for c in table.columns if not c.primary_key]
                rows = await conn.execute(select(*columns))
                found = [tuple(_value(v, started) for v in row) for row in rows]
                contents[table.name] = sorted(found, key=repr)
                continue
            rows = await conn.execute(select(table).order_by(*keys))
            contents[table.name] = [tuple(_value(v, started) for v in row) for row in rows]
    return contents


def _numbered_by_us(table: Table) -> bool:
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].identity is not None


async def _count(conn: AsyncConnection, table: str) -> int:
    statement = select(func.count()).select_from(metadata.tables[table])
    return int((await conn.execute(statement)).scalar_one())


def _counts(report: Report) -> dict[str, tuple[int, int, int, int]]:
    return {
        name: (t.source, t.imported, len(t.repaired), len(t.rejected))
        for name, t in report.tables.items()
    }


async def test_a_run_killed_mid_table_again_and_again_ends_as_an_uninterrupted_one(
    source_url: tuple[str, Planted], database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = source_url
    started = dt.datetime.now(dt.UTC)
    whole = await run_import(url, database, batch=BATCH)
    expected = await _contents(database, started)
    written = sum(t.imported + len(t.derived) for t in whole.tables.values())
    assert sum(map(len, expected.values())) == written
    await empty_database(database)

    real = Sink._insert_batch
    new_batches = 0
    kills: list[tuple[str, int, int]] = []  # (table, its rows committed before, batch size)

    async def killed_every_few_batches(
        self: Sink, conn: AsyncConnection, table: str, rows: list[dict[str, Any]]
    ) -> int:
        nonlocal new_batches
        committed = await _count(conn, table)
        added = await real(self, conn, table, rows)
        if added:  # a rerun's batches of committed rows add nothing and do not count
            new_batches += 1
            if new_batches % (KILL_EVERY + 1) == 0:
                kills.append((table, committed, len(rows)))
                raise Killed(table)  # written but not committed: rolled back
        return added

    monkeypatch.setattr(Sink, "_insert_batch", killed_every_few_batches)
    runs = 0
    while True:
        runs += 1
        assert runs < 200, "the import never finished: it does not resume"
        try:
            report = await run_import(url, database, batch=BATCH)
        except Killed:
            continue
        break

    # Killed inside tables, not only at their edges: rows of the table were committed before
    # the kill and more remained after the batch in flight.
    inside = {
        table
        for table, committed, size in kills
        if committed > 0 and committed + size < len(expected[table])
    }
    assert runs > 5
    assert {"auth_user", "auth_account", "customer"} <= inside
    assert len(inside) >= 4
    assert await _contents(database, started) == expected
    assert _counts(report) == _counts(whole)
