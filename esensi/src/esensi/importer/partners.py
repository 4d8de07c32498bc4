"""The other profiles: ``publisher``, ``affiliate``, ``internal`` (staff), ``publisher_author``.

Login links follow :func:`esensi.importer.profiles.import_authors`: kept when the login was
imported and is not already linked to an earlier profile of the same type, else cleared and
reported. Staff need a login and a role (ours enforces both; granting a role the original
did not give would be unsafe): a staff row without either is rejected. Publisher names are
unique by case in ours: a later duplicate gets `` (<first 8 hex of its id>)`` (repaired).
Publisher-author links had no status in the original; every one was in use, so they import
as ``active``.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from esensi.importer.links import check_link, imported_ids
from esensi.importer.report import Report
from esensi.importer.sink import Sink

ROLES = ("is_sales_and_marketing", "is_support", "is_management", "is_it")


class UserLinks:
    """One profile type's login links: a login links to at most one row of the type."""

    def __init__(self, users: set[Any]) -> None:
        self.users, self.linked = users, set[Any]()

    def claim(self, id_user: Any) -> tuple[Any, str | None]:
        if id_user is None:
            return None, None
        if id_user not in self.users or id_user in self.linked:
            return None, "login missing or already linked: link cleared"
        self.linked.add(id_user)
        return id_user, None


async def _users(source: asyncpg.Connection, report: Report) -> set[Any]:
    return await imported_ids(source, report, "auth_user")


async def import_publishers(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    links = UserLinks(await _users(source, report))
    rows = await source.fetch("SELECT * FROM publisher ORDER BY id")
    table = report.table("publisher")
    table.source = len(rows)
    names: set[str] = set()
    batch: list[dict[str, Any]] = []
    for row in rows:
        id_user, link_repair = links.claim(row["id_user"])
        name, name_repair = row["name"], None
        if name.strip().lower() in names:
            name, name_repair = (
                f"{name} ({row['id'].hex[:8]})",
                "duplicate name (by case): suffixed",
            )
        names.add(name.strip().lower())
        repairs = [r for r in (link_repair, name_repair) if r]
        if repairs:
            report.repair("publisher", "; ".join(repairs), dict(row))
        batch.append(
            {
                "id": row["id"],
                "name": name,
                "description": row["description"],
                "website": row["website"],
                "address": row["address"],
                "logo": row["logo"],
                "id_user": id_user,
            }
        )
    await sink.write("publisher", batch)
    table.imported = len(batch)


async def import_affiliates(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    links = UserLinks(await _users(source, report))
    rows = await source.fetch("SELECT * FROM affiliate ORDER BY id")
    table = report.table("affiliate")
    table.source = len(rows)
    batch: list[dict[str, Any]] = []
    for row in rows:
        id_user, repair = links.claim(row["id_user"])
        if repair:
            report.repair("affiliate", repair, dict(row))
        batch.append({"id": row["id"], "name": row["name"], "id_user": id_user})
    await sink.write("affiliate", batch)
    table.imported = len(batch)


async def import_staff(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    links = UserLinks(await _users(source, report))
    rows = await source.fetch("SELECT * FROM internal ORDER BY id")
    table = report.table("internal")
    table.source = len(rows)
    batch: list[dict[str, Any]] = []
    for row in rows:
        if not any(row[role] for role in ROLES):
            report.reject("internal", "staff without a role", dict(row))
            continue
        id_user, _ = links.claim(row["id_user"])
        if id_user is None:
            report.reject("internal", "staff without an imported login of their own", dict(row))
            continue
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
