"""The options of ``crud_handler``, in the seed's shape, as typed dicts so mypy checks the keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Literal, TypedDict

from pydantic import BaseModel

from rlib.context import Ctx

CountMode = Literal["exact", "estimated", "none"]
Row = dict[str, Any]
# ``before`` hooks run once the caller's visibility is known: a row the caller may not see is
# a 404 before any hook runs, and the hooks of update, delete and bulk delete are handed the
# visible rows themselves (locked until the write on PostgreSQL), so they never look them up.
CreateHook = Callable[[Ctx, Row], Awaitable[Row | None]]  # (ctx, data) -> data
UpdateHook = Callable[[Ctx, Row, Row], Awaitable[Row | None]]  # (ctx, changes, row) -> changes
DeleteHook = Callable[[Ctx, Row], Awaitable[None]]  # (ctx, row)
BulkHook = Callable[[Ctx, list[Row]], Awaitable[None]]  # (ctx, rows), every id visible
AfterHook = Callable[[Ctx, Row], Awaitable[None]]
RestoreHook = Callable[[Ctx, list[Any]], Awaitable[None]]  # (ctx, restored keys)
ScopeValue = Callable[[Ctx], object]


class ListOptions(TypedDict, total=False):
    """``list``: base filter, search, allowed filters and sort fields, includes, count."""

    where: Callable[[], Any]  # a static SQL expression factory (no request values)
    search_fields: Sequence[str]
    filters: Mapping[str, int]  # field -> operators (``op.eq | op.in_``)
    include: Sequence[str] | Mapping[str, Sequence[str]]  # always: ["author"] or {"author": [cols]}
    includable: Sequence[str] | Mapping[str, Sequence[str]]  # only when the request asks
    order_by: Sequence[str]  # default sort, e.g. ["-created_at"]
    sortable: Sequence[str]
    count: CountMode
    estimate_threshold: int
    label_field: str  # list_ids returns {id, label} with this column


class GetOptions(TypedDict, total=False):
    """``get``: includes; ``after`` to add what includes cannot fetch (e.g. the last N of a
    relation) to the row in place; whether ``POST <url>/get`` is mounted (default: yes).

    ``operation_url: False`` leaves ``<url>/get`` to a custom endpoint (e.g. a richer lookup by
    slug); the action still answers ``GET <url>/{id}`` and the dispatcher.
    """

    include: Sequence[str] | Mapping[str, Sequence[str]]
    after: AfterHook
    operation_url: bool


class CreateOptions(TypedDict, total=False):
    """``create``: the explicit input schema and hooks (``before`` gets the validated data)."""

    schema: type[BaseModel]
    before: CreateHook
    after: AfterHook
    after_commit: AfterHook


class UpdateOptions(TypedDict, total=False):
    """``update``: the input schema (made partial) and hooks (``before`` gets the visible row)."""

    schema: type[BaseModel]
    before: UpdateHook
    after: AfterHook
    after_commit: AfterHook


class DeleteOptions(TypedDict, total=False):
    """``delete``: hooks; ``hard`` allows ``?hard=true`` on a soft-deleting resource."""

    enabled: bool
    hard: bool
    before: DeleteHook
    after: AfterHook
    after_commit: AfterHook


class RestoreOptions(TypedDict, total=False):
    """``restore`` and ``bulk_restore``: ``after`` gets the restored keys, in the transaction."""

    after: RestoreHook


class SoftDeleteOptions(TypedDict, total=False):
    """``soft_delete``: rows are marked, not removed; reads skip them."""

    enabled: bool
    field: str


class BulkOptions(TypedDict, total=False):
    """``bulk_delete``: enabled, with a ``before`` hook given the visible rows (all the ids)."""

    enabled: bool
    before: BulkHook


class ScopeOptions(TypedDict, total=False):
    """Owner scoping: rows whose ``field`` equals (or is in) ``value(ctx)``; stamped on create."""

    field: str
    value: ScopeValue  # may be async; a list admits several owners (IN), UNSCOPED every row
    stamp: bool
    choose: bool  # with several owners, create bodies name one of them in ``field``


class ActionOptions(TypedDict, total=False):
    """What a resource and a nested child both declare: per-action options and hidden columns."""

    resource: str  # the noun in messages: "Buku" -> "Buku tidak ditemukan"
    list: ListOptions
    get: GetOptions
    create: CreateOptions
    update: UpdateOptions
    delete: DeleteOptions
    soft_delete: SoftDeleteOptions
    restore: RestoreOptions
    sensitive: Sequence[str]
    fields: Sequence[str]  # the columns generic paths return (default: all but sensitive)


class NestedOptions(ActionOptions, total=False):
    """A child resource under ``/<url>/{id}/<child>``."""

    model: type[Any]
    parent_field: str


class CrudOptions(ActionOptions, total=False):
    """Everything ``crud_handler`` accepts."""

    name: str
    url: str
    auth: str | Sequence[str]
    # action -> who may call that action's own URLs instead of ``auth`` (e.g. a list any staff
    # may read on a resource only some staff write); the dispatcher keeps ``auth``.
    action_auth: Mapping[str, str | Sequence[str]]
    bulk_delete: BulkOptions
    nested: Mapping[str, NestedOptions]
    scope: ScopeOptions
    aliases: Mapping[str, str | Sequence[str]]  # action -> legacy URL(s)
    names: Mapping[str, str]  # action -> registry name, e.g. {"get": "book_detail"}
    max_page_size: int
    max_bulk: int


class op:  # reads as a namespace of flags: op.eq | op.in_
    """Filter operators, combined with ``|``."""

    eq = 1
    ne = 2
    in_ = 4
    gt = 8
    gte = 16
    lt = 32
    lte = 64
    contains = 128
    is_null = 256
    all = 511

    names: Mapping[str, int] = {
        "eq": 1,
        "ne": 2,
        "in": 4,
        "gt": 8,
        "gte": 16,
        "lt": 32,
        "lte": 64,
        "contains": 128,
        "is_null": 256,
    }


_ACTIONS = frozenset({"list", "get", "create", "update", "delete", "list_ids"}) | frozenset(
    {"bulk_delete", "list_trash", "restore", "bulk_restore"}
)


def action_auth(options: CrudOptions) -> dict[str, str | Sequence[str]]:
    """The per-action auth widenings, checked: known verbs, and a stated baseline."""
    found = dict(options.get("action_auth") or {})
    unknown = set(found) - _ACTIONS
    if unknown:
        raise TypeError(f"action_auth: unknown actions {sorted(unknown)}")
    if found and options.get("auth") is None:
        # Widening an action needs a stated baseline, never the domain default.
        raise TypeError("action_auth needs an explicit auth for the resource")
    return found
