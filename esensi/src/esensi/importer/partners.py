"""The other profiles: ``publisher``, ``affiliate``, ``internal`` (staff), ``publisher_author``.

Login links are resolved by :mod:`esensi.importer.login_links` (the profile's ``id_user``,
else ``auth_user.id_<type>``), one profile of a type per login. Staff need a login and a role
(ours enforces both; granting a role the original did not give would be unsafe): a staff row
without either is rejected. Publisher names are
unique by case in ours: a later duplicate gets `` (<first 8 hex of its id>)`` (repaired).
Publisher-author links had no status in the original; every one was in use, so they import
as ``active``.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from esensi.importer.links import check_link, imported_ids
from esensi.importer.login_links import profile_links
from esensi.importer.report import Report
from esensi.importer.sink import Sink

ROLES = ("is_sales_and_marketing", "is_support", "is_management", "is_it")


async def import_publishers(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    rows = await source.fetch("SELECT * FROM publisher ORDER BY id")
    table = report.table("publisher")
    table.source = len(rows)
    links = await profile_links(source, report, "publisher", rows)
    names: set[str] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        id_user, notes = links[row["id"]]
        name, name_repair = row["name"], None
        if name.strip().lower() in names:
            name, name_repair = (
                f"{name} ({row['id'].hex[:8]})",
                "duplicate name (by case): suffixed",
            )
        names.add(name.strip().lower())
        repairs = [*notes, *([name_repair] if name_repair else [])]
        if repairs:
            report.repair("publisher", "; ".join(repairs), dict(row))
        batch.append(
            {
                "id": row["id"],
                "name": name,
                "description": row["description"],
                "website": row["website"],
                "address": row["address"],
                "logo": report.uploads.single("publisher", row["id"], "logo", row["logo"]),
                "id_user": id_user,
            }
        )
    await sink.write("publisher", batch)
    table.imported = len(batch)


async def import_affiliates(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    rows = await source.fetch("SELECT * FROM affiliate ORDER BY id")
    table = report.table("affiliate")
    table.source = len(rows)
    links = await profile_links(source, report, "affiliate", rows)
    batch: list[dict[str, Any]] = []
    for row in rows:
        id_user, notes = links[row["id"]]
        if notes:
            report.repair("affiliate", "; ".join(notes), dict(row))
        batch.append({"id": row["id"], "name": row["name"], "id_user": id_user})
    await sink.write("affiliate", batch)
    table.imported = len(batch)


async def import_staff(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    rows = await source.fetch("SELECT * FROM internal ORDER BY id")
    table = report.table("internal")
    table.source = len(rows)
    with_role = [row for row in rows if any(row[role] for role in ROLES)]
    links = await profile_links(source, report, "internal", with_role)
    batch: list[dict[str, Any]] = []
    for row in rows:
        if not any(row[role] for role in ROLES):
            report.reject("internal", "staff without a role", dict(row))
            continue
        id_user, notes = links[row["id"]]
        if id_user is None:
            report.reject("internal", "staff without an imported login of their own", dict(row))
            continue
        if notes:
            report.repair("internal", "; ".join(notes), dict(row))
        batch.append(
            {"id": row["id"], "name": row["name"], "id_user": id_user} | {r: row[r] for r in ROLES}
        )
    await sink.write("internal", batch)
    table.imported = len(batch)


async def import_publisher_authors(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    ends = (
        await imported_ids(source, report, "publisher"),
        await imported_ids(source, report, "author"),
    )
    rows = await source.fetch("SELECT * FROM publisher_author ORDER BY id")
    table = report.table("publisher_author")
    table.source = len(rows)
    seen: set[tuple[Any, Any]] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        reason = check_link((row["publisher_id"], row["author_id"]), ends, seen)
        if reason is not None:
            report.reject("publisher_author", reason, dict(row))
            continue
        batch.append(
            {
                "id": row["id"],
                "publisher_id": row["publisher_id"],
                "author_id": row["author_id"],
                "status": "active",
            }
        )
    await sink.write("publisher_author", batch)
    table.imported = len(batch)
