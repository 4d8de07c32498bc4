"""Input models of the CRUD actions, and the read model derived from a table's public columns."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from rlib.crud.meta import ModelMeta
from rlib.crud.query import python_type
from rlib.limits import PageNumber, PageOffset, PageSize

LIST_KEYS = frozenset(
    {
        "page",
        "limit",
        "offset",
        "search",
        "order_by",
        "count",
        "cursor",
        "filters",
        "include",
        "action",
        "id",
        "child",
        "child_action",
    }
)
ACTIONS = (
    "list",
    "get",
    "create",
    "update",
    "delete",
    "bulk_delete",
    "list_ids",
    "list_trash",
    "restore",
    "bulk_restore",
    "nested",
)


class ListInput(BaseModel):
    """Paging, search, sort, count strategy and filters (``filters`` or flat ``field__op`` keys)."""

    model_config = ConfigDict(extra="allow")

    page: PageNumber = 1
    limit: PageSize = 20
    offset: PageOffset = None  # the limit/offset paging style; wins over ``page``
    search: str | None = Field(default=None, max_length=200)
    order_by: str | list[str] | None = None
    count: Literal["exact", "estimated", "none"] | None = None
    cursor: str | None = Field(default=None, max_length=2048)
    filters: dict[str, Any] | None = None
    include: str | list[str] | None = None  # some of the includable relations ("a,b")


class IdInput(BaseModel):
    """One row by key (``id``, or the key column's own name, e.g. ``key``)."""

    model_config = ConfigDict(extra="allow")

    id: Any = None


class UpdateInput(BaseModel):
    """Partial update: the fields (flat, or under ``data``) and the version the editor read."""

    model_config = ConfigDict(extra="allow")

    id: Any = None
    version: int | None = Field(default=None, ge=1)
    data: dict[str, Any] | None = None


class DeleteInput(BaseModel):
    """Delete one row; ``hard`` removes it where the resource allows permanent deletion."""

    model_config = ConfigDict(extra="allow")

    id: Any = None
    version: int | None = Field(default=None, ge=1)
    hard: bool = False


class IdsInput(BaseModel):
    """Several rows by key (at most the resource's bulk limit)."""

    model_config = ConfigDict(extra="ignore")

    ids: list[Any] = Field(min_length=1)


class ActionInput(BaseModel):
    """The dispatcher's body: ``{"action": <verb>, ...}``, or a create body without ``action``."""

    model_config = ConfigDict(extra="allow")

    action: Literal[ACTIONS] | None = None  # type: ignore[valid-type]  # built from the tuple


class NestedInput(BaseModel):
    """``{"action": "nested", "id": <parent>, "child": <name>, "child_action": <verb>, ...}``."""

    model_config = ConfigDict(extra="allow")

    id: Any
    child: str
    child_action: Literal[ACTIONS[:-1]] = "list"  # type: ignore[valid-type]


def read_model(meta: ModelMeta, name: str, includes: tuple[str, ...] = ()) -> type[BaseModel]:
    """A pydantic model of the public columns (for the registry and OpenAPI; never validated)."""
    fields: dict[str, Any] = {}
    for key, column in meta.columns.items():
        try:
            kind: Any = python_type(column)
        except TypeError:
            kind = Any
        fields[key] = (kind | None if column.nullable else kind, ...)
    for include in includes:
        fields[include] = (Any, None)
    return create_model(name, **fields)
