"""Link tables whose rows only join two imported rows: ``product_category`` and friends.

The original gave them a surrogate id and no unique pair, so a pair can appear twice; ours
keys them by the pair. A link whose either end was not imported (rejected, or missing) is
rejected with that reason; a repeated pair is rejected as a duplicate (it adds nothing).
"""

from __future__ import annotations

from typing import Any

import asyncpg

from esensi.importer.report import Report
from esensi.importer.sink import Sink


async def imported_ids(source: asyncpg.Connection, report: Report, table: str) -> set[Any]:
    """The ids of ``table`` that the import wrote (its source ids minus its rejected rows)."""
    rejected = {row["id"] for _, row in report.table(table).rejected}
    ids = {row["id"] for row in await source.fetch(f'SELECT id FROM "{table}"')}
    return ids - rejected


def check_link(
    pair: tuple[Any, Any], ends: tuple[set[Any], set[Any]], seen: set[tuple[Any, Any]]
) -> str | None:
    """Why the link ``pair`` cannot be imported, or None (and the pair is claimed)."""
    if pair[0] not in ends[0] or pair[1] not in ends[1]:
        return "orphan: an end was not imported"
    if pair in seen:
        return "duplicate link"
    seen.add(pair)
    return None


async def import_pair_links(
    name: str,
    columns: tuple[str, str],
    ends: tuple[str, str],
    source: asyncpg.Connection,
    sink: Sink,
    report: Report,
) -> None:
    """A link table keyed by its two columns, pointing at the tables ``ends``."""
    targets = (
        await imported_ids(source, report, ends[0]),
        await imported_ids(source, report, ends[1]),
    )
    rows = await source.fetch(f'SELECT * FROM "{name}" ORDER BY id')
    table = report.table(name)
    table.source = len(rows)
    seen: set[tuple[Any, Any]] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        pair = (row[columns[0]], row[columns[1]])
        reason = check_link(pair, targets, seen)
        if reason is not None:
            report.reject(name, reason, dict(row))
            continue
        batch.append(dict(zip(columns, pair, strict=True)))
    await sink.write(name, batch)
    table.imported = len(batch)
