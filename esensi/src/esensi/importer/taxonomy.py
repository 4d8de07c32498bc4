"""The three taxonomy trees: ``category`` (the store), ``genre`` and ``tags`` (chapter site).

Rows are written parents first (our ``id_parent`` is a foreign key checked per batch). The
original had a slug column that was optional and unchecked: a missing slug is derived from
the name, duplicates are suffixed (:class:`~esensi.importer.cleaning.SlugClaims`). A parent
that is missing, or a loop of parents (the original's foreign key cannot prevent one), is
cleared and reported: the node becomes a root.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from esensi.importer.cleaning import SlugClaims
from esensi.importer.identity import utc
from esensi.importer.report import Report
from esensi.importer.sink import Sink

TREES = ("category", "genre", "tags")


def parents_first(rows: list[asyncpg.Record]) -> tuple[list[asyncpg.Record], set[Any]]:
    """The rows ordered so every parent precedes its children, and the ids whose parent must
    be cleared (missing, or part of a loop)."""
    by_id = {row["id"]: row for row in rows}
    placed: set[Any] = set()
    cleared: set[Any] = set()
    ordered: list[asyncpg.Record] = []
    for row in rows:
        chain: list[asyncpg.Record] = []
        in_chain: set[Any] = set()
        node: asyncpg.Record | None = row
        while node is not None and node["id"] not in placed and node["id"] not in in_chain:
            chain.append(node)
            in_chain.add(node["id"])
            parent = node["id_parent"]
            node = by_id.get(parent) if parent is not None else None
            if parent is not None and node is None:
                cleared.add(chain[-1]["id"])
        if node is not None and node["id"] in in_chain:
            cleared.add(chain[-1]["id"])  # a loop: the node written first becomes a root
        for member in reversed(chain):
            placed.add(member["id"])
            ordered.append(member)
    return ordered, cleared


async def import_tree(name: str, source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    rows = await source.fetch(f'SELECT * FROM "{name}" ORDER BY id')
    table = report.table(name)
    table.source = len(rows)
    ordered, cleared = parents_first(list(rows))
    slugs = SlugClaims()
    batch: list[dict[str, Any]] = []
    for row in ordered:
        reasons = []
        slug, repair = slugs.claim(
            row["slug"], row["name"], row["id"], live=row["deleted_at"] is None
        )
        if repair:
            reasons.append(repair)
        if row["id"] in cleared:
            reasons.append("parent missing or in a loop: cleared")
        if reasons:
            report.repair(name, "; ".join(reasons), dict(row))
        batch.append(
            {
                "id": row["id"],
                "name": row["name"],
                "slug": slug,
                "img": report.uploads.single(name, row["id"], "img", row["img"]),
                "id_parent": None if row["id"] in cleared else row["id_parent"],
                "deleted_at": utc(row["deleted_at"]),
            }
        )
    await sink.write(name, batch)
    table.imported = len(batch)


async def import_taxonomies(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    for name in TREES:
        await import_tree(name, source, sink, report)
