"""Write actions: create, update, delete, bulk delete, restore, bulk restore — one transaction each.

Every statement is a single conditional ``INSERT``/``UPDATE``/``DELETE … RETURNING`` that
carries the owner scope, the soft-delete state and the version, so there is no
read-then-write race. Constraint violations become 409/422 through the runner.

Owner scope comes first: the caller's visibility is resolved before any ``before`` hook runs.
A resource with such a hook on update, delete or bulk delete reads the visible rows first
(locked until the write): an id the caller may not see is a 404 there, exactly as for a missing
id, so a hook's own answer (409 "not editable") can never reveal another owner's row; the hook
is handed the rows and needs no lookup of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pydantic
from sqlalchemy import ColumnElement, delete, exists, select, update

from rlib.context import Ctx
from rlib.crud.access import Visibility, parse_id, visibility
from rlib.crud.options import CreateOptions, DeleteOptions, UpdateOptions
from rlib.crud.resource import Resource
from rlib.db.base import utcnow
from rlib.errors import (
    FieldError,
    NotFoundError,
    StaleVersionError,
    ValidationError,
)
from rlib.i18n import field_error_from_pydantic

Row = dict[str, Any]


def _validated(
    schema: type[pydantic.BaseModel], data: Mapping[str, Any], *, partial: bool
) -> dict[str, Any]:
    try:
        model = schema.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [field_error_from_pydantic(d, ("body",)) for d in exc.errors()]
        ) from exc
    return model.model_dump(exclude_unset=partial)


async def _after(
    options: CreateOptions | UpdateOptions | DeleteOptions, ctx: Ctx, row: Row
) -> None:
    hook = options.get("after")
    if hook is not None:
        await hook(ctx, row)
    later = options.get("after_commit")
    if later is not None:
        ctx.on_commit(lambda: later(ctx, row))


def _changed(given: Row, returned: Row | None) -> Row:
    # A before hook returns the data to write, or None to keep what it was given.
    return given if returned is None else returned


def _where(res: Resource, seen: Visibility, *, trash: bool = False) -> list[ColumnElement[bool]]:
    return res.conditions(trash=trash, scope_kind=seen.scope_kind, parented=seen.parented)


async def _visible_rows(res: Resource, ctx: Ctx, keys: list[Any], seen: Visibility) -> list[Row]:
    """The live rows among ``keys`` the caller may see, locked; 404 unless every key is one."""
    conn = await ctx.db.connection()
    stmt = res.locked_rows_statement(seen.scope_kind, seen.parented)
    result = await conn.execute(stmt, {**seen.params, "ids": keys})
    rows = [dict(found) for found in result.mappings()]
    if len(rows) != len(keys):
        raise NotFoundError(res.label)
    return rows


async def create(res: Resource, ctx: Ctx, body: Mapping[str, Any], *, parent: object = None) -> Row:
    """Insert a row from the create schema; owner and parent are stamped by the server."""
    if res.create_schema is None:
        raise NotFoundError(res.label)
    data = _validated(res.create_schema, _strip(res, body), partial=False)
    seen = await visibility(res, ctx, parent)
    stamped: Row = {}
    if res.scope_column is not None and res.stamp:
        stamped.update(_owner_stamp(res, seen, data))
    if res.parent_column is not None:
        stamped[res.parent_column.name] = parent
    hook = res.create_options.get("before")
    if hook is not None:
        data = _changed(data, await hook(ctx, {**data, **stamped}))
    # The server's owner and parent win over anything a hook returned.
    row = await _insert(res, ctx, {**data, **stamped})
    await _after(res.create_options, ctx, row)
    return row


async def _insert(res: Resource, ctx: Ctx, data: dict[str, Any]) -> Row:
    # Compiled once, run on the driver inside the unit's transaction (rlib.db.compiled); the
    # session joins that transaction if a hook later uses ctx.db.
    dialect = ctx.unit.dialect
    if ctx.unit.fast_path and res.inserter.supports(tuple(data), dialect):
        return await res.inserter.one(await ctx.unit.write_connection(), dialect, data)
    conn = await ctx.db.connection()
    result = await conn.execute(res.insert_statement, data)  # values as parameters: no rebuild
    return dict(result.mappings().one())


def _owner_stamp(res: Resource, seen: Visibility, data: Row) -> Row:
    assert res.scope_column is not None
    field = res.scope_column.name
    if seen.scope_kind == "all" and data.get(field) is not None:
        return {field: data[field]}  # an unscoped caller names any owner (``choose`` schema)
    if seen.scope_kind == "eq":
        named = data.get(field)
        if named is not None and named != seen.params["scope"]:
            # Naming another owner is refused as with several owners, never overwritten.
            raise ValidationError([FieldError(loc=("body", field), key="v.owner")])
        return {field: seen.params["scope"]}
    if seen.scope_kind == "in" and res.choose and data.get(field) in seen.params["scope"]:
        return {field: data[field]}
    # Acting for several owners, the body must name one of them; else nothing to stamp.
    raise ValidationError([FieldError(loc=("body", field), key="v.owner")])


def _strip(res: Resource, body: Mapping[str, Any]) -> dict[str, Any]:
    # The frontend sends back what it read: relation keys are dropped, not refused.
    return {k: v for k, v in body.items() if k not in res.relation_names}


async def _missing_or_stale(res: Resource, ctx: Ctx, key: object, seen: Visibility) -> Exception:
    conn = await ctx.db.connection()
    found = await conn.scalar(
        select(exists().where(res.meta.pk == key, *_where(res, seen))), seen.params
    )
    return StaleVersionError() if found else NotFoundError(res.label)


def version_of(ctx: Ctx, given: int | None) -> int | None:
    """The expected version from the body, else from ``If-Match`` (``"3"``, ``W/"3"`` or ``3``)."""
    if given is not None:
        return given
    header = ctx.req.headers.get("if-match")
    if not header:
        return None
    text = header.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ValidationError([FieldError(loc=("header", "if-match"), key="v.int")])
    return int(text)


async def update_row(
    res: Resource,
    ctx: Ctx,
    ident: object,
    body: Mapping[str, Any],
    *,
    version: int | None,
    parent: object = None,
) -> Row:
    """Apply a partial update when the row is visible and ``version`` is current."""
    if res.update_schema is None:
        raise NotFoundError(res.label)
    key = parse_id(res, ident)
    changes = _validated(res.update_schema, _strip(res, body), partial=True)
    expected = version_of(ctx, version)
    seen = await visibility(res, ctx, parent)
    hook = res.update_options.get("before")
    if hook is not None:
        (current,) = await _visible_rows(res, ctx, [key], seen)
        changes = _changed(changes, await hook(ctx, changes, current))
    values: dict[str, Any] = dict(changes)
    where = [res.meta.pk == key, *_where(res, seen)]
    if res.meta.version is not None:
        values["version"] = res.meta.version + 1
        if expected is not None:
            where.append(res.meta.version == expected)
    if "updated_at" in res.meta.table.c:
        values["updated_at"] = utcnow()
    conn = await ctx.db.connection()
    result = await conn.execute(
        update(res.meta.table).where(*where).values(**values).returning(*res.meta.columns.values()),
        seen.params,
    )
    found = result.mappings().first()
    if found is None:
        raise await _missing_or_stale(res, ctx, key, seen)
    row = dict(found)
    await _after(res.update_options, ctx, row)
    return row


async def delete_row(
    res: Resource,
    ctx: Ctx,
    ident: object,
    *,
    version: int | None,
    hard: bool,
    parent: object = None,
) -> Row:
    """Soft delete (or remove, where allowed) a visible row; returns its key."""
    if not res.delete_options.get("enabled", True):
        raise NotFoundError(res.label)
    key = parse_id(res, ident)
    expected = version_of(ctx, version)
    if hard and res.soft and not res.delete_options.get("hard", False):
        raise ValidationError([FieldError(loc=("query", "hard"), key="v.hard_delete")])
    seen = await visibility(res, ctx, parent)
    hook = res.delete_options.get("before")
    if hook is not None:
        (current,) = await _visible_rows(res, ctx, [key], seen)
        await hook(ctx, current)
    where = [res.meta.pk == key, *_where(res, seen)]
    if expected is not None and res.meta.version is not None:
        where.append(res.meta.version == expected)
    permanent = hard if res.soft else True
    deleted = await _remove(res, ctx, where, seen.params, permanent=permanent)
    if not deleted:
        raise await _missing_or_stale(res, ctx, key, seen)
    row = {"id": key}
    await _after(res.delete_options, ctx, row)
    return row


async def _remove(
    res: Resource,
    ctx: Ctx,
    where: list[ColumnElement[bool]],
    params: dict[str, Any],
    *,
    permanent: bool,
) -> list[Any]:
    conn = await ctx.db.connection()
    table = res.meta.table
    if permanent:
        stmt: Any = delete(table).where(*where).returning(res.meta.pk)
    else:
        assert res.meta.soft_delete is not None
        values: dict[str, Any] = {res.meta.soft_delete.name: utcnow()}
        if res.meta.version is not None:
            values["version"] = res.meta.version + 1
        stmt = update(table).where(*where).values(**values).returning(res.meta.pk)
    return list((await conn.execute(stmt, params)).scalars())


def _keys(res: Resource, ids: list[Any]) -> list[Any]:
    if len(ids) > res.max_bulk:
        raise ValidationError(
            [FieldError(loc=("body", "ids"), key="v.too_long", params={"max_length": res.max_bulk})]
        )
    return list(dict.fromkeys(parse_id(res, raw, "ids") for raw in ids))


async def bulk_delete(
    res: Resource, ctx: Ctx, ids: list[Any], *, parent: object = None
) -> dict[str, int]:
    """Delete every listed visible row, or none of them (404 when one is missing)."""
    if not res.bulk.get("enabled", False):
        raise NotFoundError(res.label)
    keys = _keys(res, ids)
    seen = await visibility(res, ctx, parent)
    hook = res.bulk.get("before")
    if hook is not None:
        await hook(ctx, await _visible_rows(res, ctx, keys, seen))
    where = [res.meta.pk.in_(keys), *_where(res, seen)]
    deleted = await _remove(res, ctx, where, seen.params, permanent=not res.soft)
    if len(deleted) != len(keys):
        raise NotFoundError(res.label)  # the runner rolls the partial work back
    return {"deleted": len(deleted)}


async def restore(
    res: Resource, ctx: Ctx, ids: list[Any], *, parent: object = None
) -> dict[str, int]:
    """Bring soft-deleted rows back, all or none; a unique clash with a live row is a 409."""
    if not res.soft or res.meta.soft_delete is None:
        raise NotFoundError(res.label)
    keys = _keys(res, ids)
    seen = await visibility(res, ctx, parent)
    values: dict[str, Any] = {res.meta.soft_delete.name: None}
    if res.meta.version is not None:
        values["version"] = res.meta.version + 1
    conn = await ctx.db.connection()
    result = await conn.execute(
        update(res.meta.table)
        .where(res.meta.pk.in_(keys), *_where(res, seen, trash=True))
        .values(**values)
        .returning(res.meta.pk),
        seen.params,
    )
    restored = list(result.scalars())
    if len(restored) != len(keys):
        raise NotFoundError(res.label)
    hook = res.restore_options.get("after")
    if hook is not None:
        await hook(ctx, restored)
    return {"restored": len(restored)}
