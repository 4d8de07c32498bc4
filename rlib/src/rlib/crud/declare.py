"""``crud_handler(Model, options)``: one resource, two ways in (the action URL and REST routes).

    POST <url>    {"action": "list" | "get" | ... | "nested", ...}; without action: create
    GET <url> · GET <url>/{id} · POST <url>/create · PATCH <url>/{id}
    DELETE <url>/{id}[?hard=true]
    POST <url>/bulk-delete · GET <url>/ids · GET <url>/trash · POST <url>/{id}/restore
    POST <url>/bulk-restore · <url>/{id}/<child>[/{child_id}] for nested resources
    POST <url>/list|get|update|delete|restore — the seed's per-operation URLs

Each action is its own registry entry (``<name>_list``, ``<name>_get``...), with typed input and
output, plus ``<name>`` for the dispatcher.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from rlib.context import Ctx
from rlib.crud import reads, writes
from rlib.crud.actions import dispatch
from rlib.crud.options import CrudOptions
from rlib.crud.resource import Resource
from rlib.crud.routes import endpoints_for
from rlib.crud.schemas import ListInput
from rlib.endpoint import Endpoint


class CrudResource:
    """What ``crud_handler`` returns: the resource and its endpoints, found by discovery."""

    def __init__(self, model: type[Any], options: CrudOptions, module: str) -> None:
        name = options.get("name") or model.__tablename__
        url = options.get("url") or f"/{name}"
        scope = options.get("scope")
        self.resource = Resource(model, options, name=name, scope=scope)
        self.name = name
        self.url = url.rstrip("/")
        self.module = module
        self._endpoints = endpoints_for(self.resource, self.url, options, module)

    def rlib_endpoints(self) -> Sequence[Endpoint]:
        """Every endpoint of the resource (collected by ``Registry.discover``)."""
        return self._endpoints

    async def list(self, ctx: Ctx, **params: Any) -> Any:
        """Run the list action from Python (e.g. a custom endpoint reusing the resource)."""
        return await reads.list_rows(self.resource, ctx, ListInput(**params))

    async def get(self, ctx: Ctx, ident: object) -> dict[str, Any]:
        """Run the get action from Python."""
        return await reads.get_row(self.resource, ctx, ident)

    async def create(self, ctx: Ctx, body: dict[str, Any]) -> dict[str, Any]:
        """Run the create action from Python."""
        return await writes.create(self.resource, ctx, body)

    async def dispatch(self, ctx: Ctx, body: BaseModel) -> Any:
        """Run the seed-style action dispatcher from Python."""
        return await dispatch(self.resource, ctx, body)


def crud_handler(model: type[Any], options: CrudOptions) -> CrudResource:
    """Declare a CRUD resource over ``model``; assign it to a module-level name in a domain module.

    Raises:
        TypeError: at import time, for options naming unknown or sensitive columns, includes that
            cannot be fetched, or write schemas that could set server-owned fields.
    """
    module = sys._getframe(1).f_globals.get("__name__", "")  # where discovery will find it
    return CrudResource(model, options, module)
