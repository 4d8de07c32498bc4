"""Staff update up to 100 authors at once: all of them or none (spec/endpoints.md §5).

Set-based: one locked read of every named author (missing → 404, stale version → 409), one
UPDATE for all of them, one INSERT of their audit rows — three statements whatever the batch
size, where the original ran three per author.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from pydantic_core import to_jsonable_python
from sqlalchemy import Table, case, literal, select, update

from esensi.models.author import Author
from esensi.services import audit
from rlib import NotFoundError, Scope
from rlib.db.base import utcnow
from rlib.errors import StaleVersionError

TABLE = cast(Table, Author.__table__)
EDITABLE = ("name", "biography", "social_media", "avatar", "cfg")
Change = dict[str, Any]  # "id", optional "version", and some of EDITABLE


async def _current(scope: Scope, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    table = TABLE
    columns = [table.c.id, table.c.version, *(table.c[name] for name in EDITABLE)]
    rows = await scope.db.execute(select(*columns).where(table.c.id.in_(ids)).with_for_update())
    return {row.id: dict(row._mapping) for row in rows}


def _check(items: list[Change], found: dict[uuid.UUID, dict[str, Any]]) -> None:
    if len(found) != len(items):
        raise NotFoundError("resource.author")
    for item in items:
        version = item.get("version")
        if version is not None and found[item["id"]]["version"] != version:
            raise StaleVersionError()


async def _write(scope: Scope, items: list[Change]) -> None:
    # One UPDATE for the whole batch: each field is a CASE over the ids that change it, the
    # others keep their value.
    table = TABLE
    values: dict[str, Any] = {}
    for name in EDITABLE:
        whens = [
            (table.c.id == item["id"], literal(item[name], type_=table.c[name].type))
            for item in items
            if name in item
        ]
        if whens:
            values[name] = case(*whens, else_=table.c[name])
    stmt = (
        update(table)
        .where(table.c.id.in_([item["id"] for item in items]))
        .values(**values, version=table.c.version + 1, updated_at=utcnow())
    )
    await scope.db.execute(stmt)


async def bulk_update(scope: Scope, actor: audit.Actor, items: list[Change]) -> list[uuid.UUID]:
    """Apply every item (ids unique, fields validated by the caller) or none; audited."""
    ids = [item["id"] for item in items]
    found = await _current(scope, ids)
    _check(items, found)
    await _write(scope, items)
    changes = [
        (
            item["id"],
            cast(
                dict[str, Any],
                to_jsonable_python({k: found[item["id"]][k] for k in item if k in EDITABLE}),
            ),
            cast(dict[str, Any], to_jsonable_python({k: item[k] for k in item if k in EDITABLE})),
        )
        for item in items
    ]
    await audit.record_many(scope, actor, action="author.update", entity="author", changes=changes)
    return ids
