"""Read actions: list, get, list_ids, list_trash — Core statements, row dicts, orjson-ready.

No ORM identity map on this path: rows come back as tuples zipped with their column names.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Select, or_, select
from sqlalchemy.engine import Dialect

from rlib.context import Ctx
from rlib.crud.access import Visibility, parse_id, visibility
from rlib.crud.meta import Relation
from rlib.crud.query import (
    ListQuery,
    decode_cursor,
    encode_cursor,
    escape_like,
    like_pattern,
    parse_filters,
    parse_order,
)
from rlib.crud.resource import Resource
from rlib.crud.schemas import LIST_KEYS, ListInput
from rlib.envelope import Page
from rlib.errors import FieldError, NotFoundError, ValidationError

Row = dict[str, Any]


def build_query(res: Resource, payload: ListInput, *, trash: bool = False) -> ListQuery:
    """Validate a list request against the resource's allowlists."""
    raw_filters = dict(payload.filters or {})
    raw_filters.update({k: v for k, v in (payload.model_extra or {}).items() if k not in LIST_KEYS})
    order = parse_order(payload.order_by, res.sortable, res.default_order)
    cursor = None
    if payload.cursor:
        cursor = decode_cursor(payload.cursor, res.order_columns(order)[0])
    search = None
    if payload.search and res.search_columns:
        search = f"%{escape_like(payload.search)}%"
    filters = parse_filters(res.meta, res.filters, res.coercer, raw_filters)
    return ListQuery(filters=filters, search=search, order=order, cursor=cursor, trash=trash)


def _params(query: ListQuery, seen: Visibility) -> dict[str, Any]:
    params = dict(seen.params)
    for index, flt in enumerate(query.filters):
        if flt.operator == "is_null":
            continue
        params[f"f{index}"] = (
            f"%{escape_like(flt.value)}%"
            if flt.operator == "contains"
            else (list(flt.value) if flt.operator == "in" else flt.value)
        )
    if query.search is not None:
        params["search"] = query.search
    for index, value in enumerate(query.cursor or ()):
        params[f"c{index}"] = value
    return params


async def list_rows(
    res: Resource, ctx: Ctx, payload: ListInput, *, trash: bool = False, parent: object = None
) -> Page[Row]:
    """One page of visible rows with includes; ``pagination`` per the count strategy."""
    if payload.limit > res.max_page:
        raise ValidationError(
            [FieldError(loc=("query", "limit"), key="v.le", params={"le": res.max_page})]
        )
    query = build_query(res, payload, trash=trash)
    seen = await visibility(res, ctx, parent)
    dialect = ctx.unit.dialect.name  # no connection is taken for this
    statements = res.list_statements(query, seen.scope_kind, seen.parented, dialect)
    params = _params(query, seen)
    offset = 0 if query.cursor is not None else _first_row(payload)
    rows = await res.executor.rows(
        ctx, statements.rows, {**params, "limit": payload.limit + 1, "offset": offset}
    )
    has_more = len(rows) > payload.limit
    rows = rows[: payload.limit]
    mode = payload.count or res.count_mode
    total = None if mode == "none" else await _total(res, ctx, statements.count, params, mode)
    await res.includer.attach(ctx, rows, _includes(res, payload.include))
    keyset = payload.cursor is not None  # cursor="" starts a keyset walk
    next_cursor = _next_cursor(res, query, rows) if has_more and keyset else None
    return Page(
        items=rows,
        page=offset // payload.limit + 1 if payload.offset is not None else payload.page,
        limit=payload.limit,
        total=total,
        has_more=has_more if total is None else None,
        next_cursor=next_cursor,
    )


def _first_row(payload: ListInput) -> int:
    # Both paging styles: ``offset`` (with ``limit``) when sent, else ``page``.
    if payload.offset is not None:
        return payload.offset
    return (payload.page - 1) * payload.limit


def _includes(res: Resource, asked: str | list[str] | None) -> list[Relation]:
    if asked is None:
        return res.list_include
    names = asked.split(",") if isinstance(asked, str) else asked
    if any(name and name not in res.includable for name in names):
        expected = ", ".join(sorted(res.includable))
        raise ValidationError(
            [FieldError(loc=("query", "include"), key="v.choice", params={"expected": expected})]
        )
    return [res.includable[name] for name in dict.fromkeys(names) if name]


def _next_cursor(res: Resource, query: ListQuery, rows: list[Row]) -> str | None:
    if not rows:
        return None
    columns, _ = res.order_columns(query.order)
    return encode_cursor([rows[-1][column.name] for column in columns])


async def _total(
    res: Resource, ctx: Ctx, count: Select[Any], params: dict[str, Any], mode: str
) -> int:
    dialect = ctx.unit.dialect
    if mode == "estimated" and dialect.name == "postgresql":
        estimate = await _planner_estimate(res, ctx, dialect, count, params)
        if estimate is not None and estimate >= res.estimate_threshold:
            return estimate
    return int(await res.executor.scalar(ctx, count, params) or 0)


async def _planner_estimate(
    res: Resource, ctx: Ctx, dialect: Dialect, count: Select[Any], params: dict[str, Any]
) -> int | None:
    # The planner's row estimate of the counted rows (the FROM/WHERE of the count), from
    # EXPLAIN: it costs a plan, not a scan. The EXPLAIN statement is built and compiled once
    # per count statement; values stay bind parameters.
    try:
        document = await res.executor.explain(ctx, res.estimate_statement(count), params)
    except Exception:  # any planning problem: fall back to the exact count
        return None
    if isinstance(document, str):
        document = orjson.loads(document)
    if not isinstance(document, list):
        return None
    return int(document[0]["Plan"]["Plan Rows"])


async def get_row(
    res: Resource,
    ctx: Ctx,
    ident: object,
    *,
    parent: object = None,
    trash: bool = False,
    include: bool = True,
) -> Row:
    """The visible row ``ident`` (with the get includes); 404 when absent or not the caller's."""
    key = parse_id(res, ident)
    seen = await visibility(res, ctx, parent)
    dialect = ctx.unit.dialect.name
    stmt = res.row_statement(seen.scope_kind, seen.parented, trash=trash, dialect=dialect)
    rows = await res.executor.rows(ctx, stmt, {**seen.params, "id": key})
    if not rows:
        raise NotFoundError(res.label)
    if include:
        await res.includer.attach(ctx, rows, res.get_include)
        if res.get_after is not None:
            await res.get_after(ctx, rows[0])
    return rows[0]


async def list_ids(
    res: Resource, ctx: Ctx, payload: ListInput, *, parent: object = None
) -> list[Any]:
    """Every visible id matching the filters (with ``label`` when the resource declares one).

    Ids carry no includes, but ``include`` is checked as the list checks it: an undeclared
    relation is refused on every URL of the resource, never ignored on one of them.
    """
    _includes(res, payload.include)
    query = build_query(res, payload)
    seen = await visibility(res, ctx, parent)
    where = res.conditions(trash=False, scope_kind=seen.scope_kind, parented=seen.parented)
    for index, flt in enumerate(query.filters):
        where.append(res.filter_clause(flt, index))
    if query.search is not None:
        where.append(
            or_(*(c.ilike(like_pattern("search"), escape="\\") for c in res.search_columns))
        )
    columns = [res.meta.pk] + ([res.label_column] if res.label_column is not None else [])
    order, _ = res.order_columns(query.order)
    stmt = select(*columns).where(*where).order_by(*order).limit(10_000)
    conn = await ctx.db.connection()
    result = await conn.execute(stmt, _params(query, seen))
    if res.label_column is None:
        return [values[0] for values in result]
    return [{"id": values[0], "label": values[1]} for values in result]
