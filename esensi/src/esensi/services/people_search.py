"""Search and whole-type stats over one profile type: SQL aggregates, a fixed number of
statements per call (one page query and one count; one stats query)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select

from esensi.services.people import Kind
from rlib import Page, Scope, ValidationError
from rlib.crud.query import escape_like
from rlib.db.base import utcnow
from rlib.errors import FieldError

NEW_DAYS = 30
SORTABLE_COLUMNS = ("name", "created_at", "updated_at")


@dataclass(frozen=True, slots=True)
class Search:
    """What a people search asks for (validated by the endpoint's input model)."""

    query: str | None
    has: dict[str, bool]
    has_account: bool | None
    sort_by: str
    sort_order: str
    start: int
    limit: int


def public_columns(kind: Kind) -> list[Any]:
    """The columns a list shows: never the sensitive (bank) ones."""
    return [c for c in kind.model.__table__.c if not c.info.get("sensitive")]


def _live(kind: Kind) -> list[ColumnElement[bool]]:
    model = kind.model
    return [model.deleted_at.is_(None)] if hasattr(model, "deleted_at") else []


def _choice(field: str, expected: list[str]) -> ValidationError:
    params = {"expected": ", ".join(sorted(expected))}
    return ValidationError([FieldError(loc=("body", field), key="v.choice", params=params)])


def _conditions(kind: Kind, payload: Search) -> list[ColumnElement[bool]]:
    model = kind.model
    where = _live(kind)
    if payload.query:
        pattern = f"%{escape_like(payload.query.strip())}%"
        where.append(or_(*(getattr(model, c).ilike(pattern, escape="\\") for c in kind.text)))
    unknown = set(payload.has) - set(kind.related)
    if unknown:
        raise _choice("has", list(kind.related))
    for name, wanted in payload.has.items():
        found = kind.related[name].any_live(model.id)
        where.append(found if wanted else ~found)
    if payload.has_account is not None:
        linked = model.id_user.is_not(None)
        where.append(linked if payload.has_account else ~linked)
    return where


def _order(kind: Kind, payload: Search, counts: dict[str, Any]) -> list[Any]:
    if payload.sort_by in counts:
        key = counts[payload.sort_by]
    elif payload.sort_by in SORTABLE_COLUMNS:
        key = getattr(kind.model, payload.sort_by)
    else:
        raise _choice("sort_by", [*SORTABLE_COLUMNS, *counts])
    first = key.asc() if payload.sort_order == "asc" else key.desc()
    return [first, kind.model.id.asc()]  # the id makes pages stable under equal keys


async def search(scope: Scope, kind: Kind, payload: Search) -> Page[dict[str, Any]]:
    """One page of profiles with their related-row counts, filtered, sorted, paged."""
    model = kind.model
    counts = {name: rel.count(model.id) for name, rel in kind.related.items()}
    where = _conditions(kind, payload)
    order = _order(kind, payload, counts)
    start = payload.start
    labelled = [expr.label(f"count_{name}") for name, expr in counts.items()]
    rows = await scope.db.execute(
        select(*public_columns(kind), *labelled)
        .where(*where)
        .order_by(*order)
        .offset(start)
        .limit(payload.limit)
    )
    total = await scope.db.scalar(select(func.count()).select_from(model).where(*where))
    items = []
    for row in rows.mappings():
        item = {k: v for k, v in row.items() if not k.startswith("count_")}
        item["counts"] = {name: int(row[f"count_{name}"]) for name in counts}
        items.append(item)
    page = start // payload.limit + 1
    return Page(items=items, page=page, limit=payload.limit, total=total or 0)


async def type_stats(scope: Scope, kind: Kind) -> dict[str, Any]:
    """The whole type in one statement: totals, logins, newcomers, profiles per relation."""
    model = kind.model
    since = utcnow() - dt.timedelta(days=NEW_DAYS)
    having = [
        func.coalesce(func.sum(case((rel.any_live(model.id), 1), else_=0)), 0).label(name)
        for name, rel in kind.related.items()
    ]
    row = (
        await scope.db.execute(
            select(
                func.count().label("total"),
                func.count(model.id_user).label("with_login"),
                func.coalesce(func.sum(case((model.created_at >= since, 1), else_=0)), 0).label(
                    "new"
                ),
                *having,
            ).where(*_live(kind))
        )
    ).one()
    values = row._mapping
    return {
        "total": int(values["total"]),
        "with_login": int(values["with_login"]),
        "new_last_30_days": int(values["new"]),
        "with_relation": {name: int(values[name]) for name in kind.related},
        "since": since,
    }
