"""The endpoints of a CRUD resource: the action dispatcher, REST routes, per-operation URLs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from rlib.context import Ctx
from rlib.crud import reads, writes
from rlib.crud.access import ident_of
from rlib.crud.actions import changes_of, create, dispatch, run_action
from rlib.crud.options import CrudOptions, action_auth
from rlib.crud.resource import Resource
from rlib.crud.schemas import (
    ActionInput,
    DeleteInput,
    IdInput,
    IdsInput,
    ListInput,
    UpdateInput,
    read_model,
)
from rlib.endpoint import Endpoint, define_api
from rlib.envelope import Page
from rlib.errors import (
    DeleteBlockedError,
    NotFoundError,
    RlibError,
    StaleVersionError,
    UniqueViolationError,
)

Handler = Callable[[Ctx, Any], Awaitable[Any]]

# What each action may raise beyond the framework's own answers (gen documents them).
_ERRORS: dict[str, tuple[type[RlibError], ...]] = {
    "": (NotFoundError, StaleVersionError, UniqueViolationError, DeleteBlockedError),
    "get": (NotFoundError,),
    "create": (UniqueViolationError,),
    "update": (NotFoundError, StaleVersionError, UniqueViolationError),
    "delete": (NotFoundError, StaleVersionError, DeleteBlockedError),
    "bulk_delete": (NotFoundError, DeleteBlockedError),
    "restore": (NotFoundError, UniqueViolationError),
    "bulk_restore": (NotFoundError, UniqueViolationError),
}


class NestedPath(BaseModel):
    """The parent id and, for one child row, the child id; the rest is the child action's body."""

    model_config = ConfigDict(extra="allow")

    id: Any
    child_id: Any = None


class _Builder:
    """Collects the endpoints of one resource."""

    def __init__(self, res: Resource, options: CrudOptions, module: str) -> None:
        self.module = module
        self.auth = options.get("auth")
        self.action_auth = action_auth(options)
        self.aliases = options.get("aliases") or {}
        self.names = options.get("names") or {}
        self.items: list[Endpoint] = []

    def add(
        self,
        name: str,
        mounts: Sequence[tuple[str, Sequence[str]]],
        handler: Handler,
        payload: type[BaseModel],
        output: Any,
        summary: str,
        *,
        action: str = "",
        resource: str = "",
        verb: str = "",
    ) -> None:
        """One registry entry answering at every (url, methods) in ``mounts``.

        ``action`` picks the seed-style renames and aliases; ``resource`` and ``verb`` (the
        action, or "" for the dispatcher) group the entry under its resource in the client.
        """
        handler.__annotations__ = {"ctx": Ctx, "payload": payload, "return": output}
        handler.__doc__ = summary
        handler.__module__ = self.module
        name = self.names.get(action, name) if action else name
        legacy = self.aliases.get(action, ()) if action else ()
        legacy_urls = (legacy,) if isinstance(legacy, str) else tuple(legacy)
        (url, methods), *more = mounts
        # A read answers GET with query parameters at every URL it owns (spec rule); writes
        # stay POST. Each of these words is a static path, so `<url>/{id}` never reads it.
        alias_methods = ("GET", "POST") if verb in _READS else ("POST",)
        taken = {(u, m) for u, ms in mounts for m in ms}  # an alias may repeat a REST path
        routes = [(u, tuple(m)) for u, m in more] + [
            (u, kept)
            for u in legacy_urls
            if (kept := tuple(m for m in alias_methods if (u, m) not in taken))
        ]
        self.items.append(
            define_api(
                name=name,
                url=url,
                methods=tuple(methods),
                handler=handler,
                auth=self.action_auth.get(action, self.auth),
                routes=tuple(routes),
                validate_output=False,
                output=output,
                errors=_ERRORS.get(verb, ()),
                crud=(resource, verb),
            )
        )


_READS = frozenset({"list", "get", "list_ids", "list_trash"})


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def endpoints_for(res: Resource, url: str, options: CrudOptions, module: str) -> list[Endpoint]:
    """Every endpoint of ``res`` mounted at ``url``."""
    build = _Builder(res, options, module)
    _resource_endpoints(build, res, url)
    for child_name, child in res.children.items():
        _nested_endpoints(build, res, child, f"{url}/{{id}}/{child_name}")
    return build.items


def _read(res: Resource) -> type[BaseModel]:
    includes = tuple(r.name for r in (*res.list_include, *res.get_include))
    return read_model(res.meta, f"{_camel(res.name)}Read", includes)


def _resource_endpoints(build: _Builder, res: Resource, url: str) -> None:
    read = _read(res)
    label = res.label

    async def dispatcher(ctx: Ctx, payload: ActionInput) -> Any:
        return await dispatch(res, ctx, payload)

    async def list_(ctx: Ctx, payload: ListInput) -> Page[Any]:
        return await reads.list_rows(res, ctx, payload)

    async def get(ctx: Ctx, payload: IdInput) -> dict[str, Any]:
        return await reads.get_row(res, ctx, ident_of(res, payload))

    async def update(ctx: Ctx, payload: UpdateInput) -> dict[str, Any]:
        return await writes.update_row(
            res, ctx, ident_of(res, payload), changes_of(res, payload), version=payload.version
        )

    async def delete(ctx: Ctx, payload: DeleteInput) -> dict[str, Any]:
        return await writes.delete_row(
            res, ctx, ident_of(res, payload), version=payload.version, hard=payload.hard
        )

    async def list_ids(ctx: Ctx, payload: ListInput) -> list[Any]:
        return await reads.list_ids(res, ctx, payload)

    build.add(
        res.name,
        [(url, ("POST",))],
        dispatcher,
        ActionInput,
        Any,
        f'{label}: one URL for every action ({{"action": ...}}); no action creates.',
        resource=res.name,
    )
    build.add(
        f"{res.name}_list",
        [(url, ("GET",)), (f"{url}/list", ("GET", "POST"))],
        list_,
        ListInput,
        Page[read],  # type: ignore[valid-type]  # the read model is built at declaration
        f"{label}: list, with filters, search, sort and paging.",
        action="list",
        resource=res.name,
        verb="list",
    )
    build.add(
        f"{res.name}_get",
        _get_mounts(res, url),
        get,
        IdInput,
        read,
        f"{label}: one row by id.",
        action="get",
        resource=res.name,
        verb="get",
    )
    if res.create_schema is not None:
        _create(build, res, url, read)
    if res.update_schema is not None:
        build.add(
            f"{res.name}_update",
            [(f"{url}/{{id}}", ("PATCH",)), (f"{url}/update", ("POST",))],
            update,
            UpdateInput,
            read,
            f"{label}: partial update (version or If-Match).",
            action="update",
            resource=res.name,
            verb="update",
        )
    if res.delete_options.get("enabled", True):
        build.add(
            f"{res.name}_delete",
            [(f"{url}/{{id}}", ("DELETE",)), (f"{url}/delete", ("POST",))],
            delete,
            DeleteInput,
            dict[str, Any],
            f"{label}: delete one row.",
            action="delete",
            resource=res.name,
            verb="delete",
        )
    build.add(
        f"{res.name}_list_ids",
        [(f"{url}/ids", ("GET", "POST"))],
        list_ids,
        ListInput,
        list[Any],
        f"{label}: ids (and labels) matching the filters.",
        action="list_ids",
        resource=res.name,
        verb="list_ids",
    )
    _bulk_and_trash(build, res, url, read)


def _get_mounts(res: Resource, url: str) -> list[tuple[str, Sequence[str]]]:
    by_id: tuple[str, Sequence[str]] = (f"{url}/{{id}}", ("GET",))
    # Without the operation URL a custom endpoint owns <url>/get.
    return [by_id, (f"{url}/get", ("GET", "POST"))] if res.get_operation_url else [by_id]


def _create(build: _Builder, res: Resource, url: str, read: type[BaseModel]) -> None:
    schema = res.create_schema
    assert schema is not None

    async def create_row(ctx: Ctx, payload: BaseModel) -> dict[str, Any]:
        return await create(res, ctx, payload.model_dump(exclude_unset=True))

    build.add(
        f"{res.name}_create",
        [(f"{url}/create", ("POST",))],
        create_row,
        schema,
        read,
        f"{res.label}: create a row.",
        action="create",
        resource=res.name,
        verb="create",
    )


def _bulk_and_trash(build: _Builder, res: Resource, url: str, read: type[BaseModel]) -> None:
    async def bulk_delete(ctx: Ctx, payload: IdsInput) -> dict[str, int]:
        return await writes.bulk_delete(res, ctx, payload.ids)

    async def list_trash(ctx: Ctx, payload: ListInput) -> Page[Any]:
        return await reads.list_rows(res, ctx, payload, trash=True)

    async def restore(ctx: Ctx, payload: IdInput) -> dict[str, Any]:
        await writes.restore(res, ctx, [ident_of(res, payload)])
        return await reads.get_row(res, ctx, ident_of(res, payload))

    async def bulk_restore(ctx: Ctx, payload: IdsInput) -> dict[str, int]:
        return await writes.restore(res, ctx, payload.ids)

    label = res.label
    if res.bulk.get("enabled", False):
        build.add(
            f"{res.name}_bulk_delete",
            [(f"{url}/bulk-delete", ("POST",))],
            bulk_delete,
            IdsInput,
            dict[str, int],
            f"{label}: delete several rows, all or none.",
            action="bulk_delete",
            resource=res.name,
            verb="bulk_delete",
        )
    if not res.soft:
        return
    build.add(
        f"{res.name}_list_trash",
        [(f"{url}/trash", ("GET", "POST"))],
        list_trash,
        ListInput,
        Page[read],  # type: ignore[valid-type]  # the read model is built at declaration
        f"{label}: soft-deleted rows.",
        action="list_trash",
        resource=res.name,
        verb="list_trash",
    )
    build.add(
        f"{res.name}_restore",
        [(f"{url}/{{id}}/restore", ("POST",)), (f"{url}/restore", ("POST",))],
        restore,
        IdInput,
        read,
        f"{label}: restore a soft-deleted row.",
        action="restore",
        resource=res.name,
        verb="restore",
    )
    build.add(
        f"{res.name}_bulk_restore",
        [(f"{url}/bulk-restore", ("POST",))],
        bulk_restore,
        IdsInput,
        dict[str, int],
        f"{label}: restore several rows, all or none.",
        action="bulk_restore",
        resource=res.name,
        verb="bulk_restore",
    )


def _nested_endpoints(build: _Builder, parent: Resource, child: Resource, url: str) -> None:
    read = _read(child)

    def nested(action: str) -> Handler:
        async def handler(ctx: Ctx, payload: NestedPath) -> Any:
            owner = await reads.get_row(parent, ctx, payload.id, include=False)
            body = dict(payload.model_extra or {})
            if payload.child_id is not None:
                body["id"] = payload.child_id
            return await run_action(child, ctx, action, body, parent=owner[parent.meta.pk.name])

        return handler

    one = f"{url}/{{child_id}}"
    label = child.label
    build.add(
        f"{child.name}_list",
        [(url, ("GET",)), (f"{url}/list", ("GET", "POST"))],
        nested("list"),
        NestedPath,
        Page[read],  # type: ignore[valid-type]  # the read model is built at declaration
        f"{label} of one {parent.label}: list.",
        resource=child.name,
        verb="list",
    )
    build.add(
        f"{child.name}_get",
        [(one, ("GET",))],
        nested("get"),
        NestedPath,
        read,
        f"{label} of one {parent.label}: one row.",
        resource=child.name,
        verb="get",
    )
    if child.create_schema is not None:
        build.add(
            f"{child.name}_create",
            [(url, ("POST",))],
            nested("create"),
            NestedPath,
            read,
            f"{label} of one {parent.label}: create.",
            resource=child.name,
            verb="create",
        )
    if child.update_schema is not None:
        build.add(
            f"{child.name}_update",
            [(one, ("PATCH",))],
            nested("update"),
            NestedPath,
            read,
            f"{label} of one {parent.label}: partial update.",
            resource=child.name,
            verb="update",
        )
    if child.delete_options.get("enabled", True):
        build.add(
            f"{child.name}_delete",
            [(one, ("DELETE",))],
            nested("delete"),
            NestedPath,
            dict[str, Any],
            f"{label} of one {parent.label}: delete.",
            resource=child.name,
            verb="delete",
        )
