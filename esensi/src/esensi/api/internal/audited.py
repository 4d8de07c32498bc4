"""Audited staff writes: every create, update, delete and restore of a back-office resource
writes its ``audit_log`` row in the request's own transaction (spec/models.md ``audit_log``:
"written for every staff write").

``audited(entity, options)`` returns the ``crud_handler`` options with the audit hooks chained
after the resource's own checks, so a refused write leaves no row and a committed one always
has its row. Workflow endpoints call :func:`record` directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from pydantic_core import to_jsonable_python

from esensi.models.enums import ActorType
from esensi.services import audit
from rlib import Ctx
from rlib.auth.flows import kit_of
from rlib.crud import CrudOptions

MASK = "***"
Row = dict[str, Any]


def actor_of(ctx: Ctx) -> audit.Actor:
    """The signed-in staff member, with the caller's address and the request id."""
    user = ctx.user
    return audit.Actor(
        user.id if user is not None else None,
        ActorType.INTERNAL,
        kit_of(ctx).client_ip(ctx),
        ctx.request_id,
    )


def _json(values: Mapping[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    safe = cast(dict[str, Any], to_jsonable_python(dict(values)))
    return {key: MASK if key in hidden else value for key, value in safe.items()}


async def record(
    ctx: Ctx,
    *,
    action: str,
    entity: str,
    entity_id: object,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    hidden: frozenset[str] = frozenset(),
) -> None:
    """One audit row for a staff write (values made JSON-safe, ``hidden`` keys masked)."""
    await audit.record(
        ctx,
        actor_of(ctx),
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=None if before is None else _json(before, hidden),
        after=None if after is None else _json(after, hidden),
    )


class _Hooks:
    """The audit hooks of one resource, each running the resource's own hook first."""

    def __init__(self, entity: str, options: Mapping[str, Any], key: str) -> None:
        self.entity = entity
        self.key = key
        self.hidden = frozenset(options.get("sensitive", ()))
        self.own = {
            action: dict(options.get(action) or {})
            for action in ("create", "update", "delete", "bulk_delete", "restore")
        }

    async def created(self, ctx: Ctx, row: Row) -> None:
        own = self.own["create"].get("after")
        if own is not None:
            await own(ctx, row)
        await self._write(ctx, "create", row[self.key], None, row)

    async def updating(self, ctx: Ctx, changes: Row, row: Row) -> Row:
        own = self.own["update"].get("before")
        if own is not None:
            returned = await own(ctx, changes, row)
            changes = changes if returned is None else returned
        before = {key: row.get(key) for key in changes}
        await self._write(ctx, "update", row[self.key], before, changes)
        return changes

    async def deleting(self, ctx: Ctx, row: Row) -> None:
        own = self.own["delete"].get("before")
        if own is not None:
            await own(ctx, row)
        await self._write(ctx, "delete", row[self.key], row, None)

    async def bulk_deleting(self, ctx: Ctx, rows: list[Row]) -> None:
        own = self.own["bulk_delete"].get("before")
        if own is not None:
            await own(ctx, rows)
        for row in rows:
            await self._write(ctx, "delete", row[self.key], row, None)

    async def restored(self, ctx: Ctx, keys: list[Any]) -> None:
        own = self.own["restore"].get("after")
        if own is not None:
            await own(ctx, keys)
        for key in keys:
            await self._write(ctx, "restore", key, None, {"deleted_at": None})

    async def _write(
        self, ctx: Ctx, verb: str, key: object, before: Row | None, after: Row | None
    ) -> None:
        await record(
            ctx,
            action=f"{self.entity}.{verb}",
            entity=self.entity,
            entity_id=key,
            before=before,
            after=after,
            hidden=self.hidden,
        )


def audited(entity: str, options: CrudOptions, *, key: str = "id") -> CrudOptions:
    """``options`` with an audit row for each write (``<entity>.create`` … ``.restore``);
    ``key`` names the column that identifies a row (``cfg`` is keyed by ``key``)."""
    hooks = _Hooks(entity, options, key)
    found = cast(dict[str, Any], dict(options))
    found["create"] = {**hooks.own["create"], "after": hooks.created}
    found["update"] = {**hooks.own["update"], "before": hooks.updating}
    found["delete"] = {**hooks.own["delete"], "before": hooks.deleting}
    if hooks.own["bulk_delete"].get("enabled", False):
        found["bulk_delete"] = {**hooks.own["bulk_delete"], "before": hooks.bulk_deleting}
    found["restore"] = {**hooks.own["restore"], "after": hooks.restored}
    return cast(CrudOptions, found)
