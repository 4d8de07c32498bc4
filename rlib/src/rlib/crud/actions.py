"""The CRUD verbs by name: what the seed-style dispatcher and the nested routes run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from rlib.context import Ctx
from rlib.crud import reads, writes
from rlib.crud.access import ident_of
from rlib.crud.resource import Resource
from rlib.crud.schemas import (
    ACTIONS,
    DeleteInput,
    IdInput,
    IdsInput,
    ListInput,
    NestedInput,
    UpdateInput,
)
from rlib.errors import FieldError, ValidationError
from rlib.i18n import field_error_from_pydantic

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], body: Mapping[str, Any]) -> M:
    """Validate ``body`` with ``model``; a failure is the framework's 422."""
    try:
        return model.model_validate(body)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [field_error_from_pydantic(d, ("body",)) for d in exc.errors()]
        ) from exc


def changes_of(res: Resource, payload: UpdateInput) -> dict[str, Any]:
    """The changed fields: ``data``, else the flat body without routing and key fields."""
    if payload.data is not None:
        return payload.data
    skip = {"action", "child_id", res.meta.pk.name}
    return {k: v for k, v in (payload.model_extra or {}).items() if k not in skip}


async def create(
    res: Resource, ctx: Ctx, body: Mapping[str, Any], *, parent: object = None
) -> dict[str, Any]:
    """Create a row; every URL form of create (REST, action, per-operation, nested) answers 201."""
    row = await writes.create(res, ctx, body, parent=parent)
    ctx.status_code = 201
    return row


def offered(res: Resource, *, nested: bool = True) -> tuple[str, ...]:
    """The verbs ``res`` answers, in the ACTIONS order (what a refusal names)."""
    found = {"list", "get", "list_ids"}
    found |= {"create"} if res.create_schema is not None else set()
    found |= {"update"} if res.update_schema is not None else set()
    found |= {"delete"} if res.delete_options.get("enabled", True) else set()
    found |= {"bulk_delete"} if res.bulk.get("enabled", False) else set()
    found |= {"list_trash", "restore", "bulk_restore"} if res.soft else set()
    found |= {"nested"} if nested and res.children else set()
    return tuple(verb for verb in ACTIONS if verb in found)


def _refuse(res: Resource, field: str, *, nested: bool) -> ValidationError:
    # A verb the resource was declared without is a 422 naming the ones it has, never a 404
    # "not found" about a row nobody asked for (an app may serve it as a workflow endpoint).
    expected = ", ".join(offered(res, nested=nested))
    return ValidationError(
        [FieldError(loc=("body", field), key="v.choice", params={"expected": expected})]
    )


async def run_action(
    res: Resource, ctx: Ctx, action: str, body: Mapping[str, Any], *, parent: object = None
) -> Any:  # each action its own result
    """Run one CRUD verb on ``res`` with a raw body (used by the dispatcher and nested routes)."""
    if action not in offered(res, nested=False):
        nested = parent is None  # the dispatcher's own verbs include "nested"
        raise _refuse(res, "action" if nested else "child_action", nested=nested)
    if action == "list":
        return await reads.list_rows(res, ctx, parse(ListInput, body), parent=parent)
    if action == "get":
        return await reads.get_row(res, ctx, ident_of(res, parse(IdInput, body)), parent=parent)
    if action == "create":
        return await create(res, ctx, body.get("data") or _without(body), parent=parent)
    if action == "update":
        update = parse(UpdateInput, body)
        return await writes.update_row(
            res,
            ctx,
            ident_of(res, update),
            changes_of(res, update),
            version=update.version,
            parent=parent,
        )
    if action == "delete":
        gone = parse(DeleteInput, body)
        return await writes.delete_row(
            res, ctx, ident_of(res, gone), version=gone.version, hard=gone.hard, parent=parent
        )
    return await _run_more(res, ctx, action, body, parent)


async def _run_more(
    res: Resource, ctx: Ctx, action: str, body: Mapping[str, Any], parent: object
) -> Any:
    if action == "bulk_delete":
        return await writes.bulk_delete(res, ctx, parse(IdsInput, body).ids, parent=parent)
    if action == "list_ids":
        return await reads.list_ids(res, ctx, parse(ListInput, body), parent=parent)
    if action == "list_trash" and res.soft:
        return await reads.list_rows(res, ctx, parse(ListInput, body), trash=True, parent=parent)
    if action == "restore" and res.soft:
        ident = ident_of(res, parse(IdInput, body))
        await writes.restore(res, ctx, [ident], parent=parent)
        return await reads.get_row(res, ctx, ident, parent=parent)
    if action == "bulk_restore" and res.soft:
        return await writes.restore(res, ctx, parse(IdsInput, body).ids, parent=parent)
    raise ValidationError(
        [FieldError(loc=("body", "action"), key="v.unknown_action", params={"name": action})]
    )


def _without(body: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in ("action", "id", "child", "child_action")}


async def dispatch(res: Resource, ctx: Ctx, payload: BaseModel) -> Any:
    """The seed-style single URL: ``{"action": ...}``; a body without ``action`` creates."""
    body = dict(payload.model_extra or {})
    action = getattr(payload, "action", None)
    if action is None:
        if res.create_schema is None:  # a body without action creates: nothing to create
            raise _refuse(res, "action", nested=True)
        return await create(res, ctx, body)
    if action == "nested":
        nested = parse(NestedInput, body)
        child = _child(res, nested.child)
        owner = await reads.get_row(res, ctx, nested.id, include=False)
        inner = dict(nested.model_extra or {})
        if "child_id" in inner:
            inner["id"] = inner.pop("child_id")
        return await run_action(
            child, ctx, nested.child_action, inner, parent=owner[res.meta.pk.name]
        )
    return await run_action(res, ctx, action, body)


def _child(res: Resource, name: str) -> Resource:
    child = res.children.get(name)
    if child is None:
        raise ValidationError(
            [
                FieldError(
                    loc=("body", "child"),
                    key="v.choice",
                    params={"expected": ", ".join(sorted(res.children))},
                )
            ]
        )
    return child
