"""List queries: filters from an allowlist, search, sort and keyset cursors -> Core statements.

A statement is built once per query *shape* (which filters, operators, sort, search, cursor,
trash or live) with bind parameters for every value, and cached on the resource, so a
repeated request only binds values: no statement building and no SQL compilation.
"""

from __future__ import annotations

import base64
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError
from sqlalchemy import (
    BindParameter,
    Column,
    ColumnElement,
    Select,
    String,
    and_,
    any_,
    bindparam,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY

from rlib.crud.meta import ModelMeta, Relation
from rlib.crud.options import op
from rlib.db.values import value_adapter
from rlib.errors import FieldError, ValidationError
from rlib.i18n import field_error_from_pydantic

CACHE_SIZE = 512
MAX_PATTERN = 200  # the longest text a ``contains`` filter or a search looks for


@dataclass(frozen=True, slots=True)
class Filter:
    """One requested filter: column key, operator name, typed value."""

    field: str
    operator: str
    value: Any


@dataclass(frozen=True, slots=True)
class ListQuery:
    """A validated list request."""

    filters: tuple[Filter, ...] = ()
    search: str | None = None
    order: tuple[tuple[str, bool], ...] = ()  # (column key, descending)
    cursor: tuple[Any, ...] | None = None
    trash: bool = False


def python_type(column: Column[Any]) -> Any:  # a Python type
    """The Python type values of ``column`` have (TypeError for JSON and other opaque types)."""
    kind = column.type
    impl = getattr(kind, "impl", kind)
    try:
        return impl.python_type
    except NotImplementedError as exc:
        raise TypeError(f"column {column.key} cannot be filtered") from exc


class Coercer:
    """Turns filter values from query strings or JSON into the column's Python type."""

    def __init__(self, meta: ModelMeta, more: Mapping[str, Column[Any]] | None = None) -> None:
        # ``more``: filters on other tables' columns ("genres.slug"), typed like those columns.
        columns = {**meta.columns, **(more or {})}
        self._adapters = {
            key: value_adapter(col) for key, col in columns.items() if _filterable(col)
        }

    def value(self, field: str, operator: str, raw: Any) -> Any:
        if operator == "is_null":
            return TypeAdapter(bool).validate_python(raw)
        if operator == "contains":
            if not isinstance(raw, str) or len(raw) > MAX_PATTERN:
                raise ValueError("contains")
            return raw
        adapter = self._adapters[field]
        if operator == "in":
            items = raw.split(",") if isinstance(raw, str) else raw
            if not isinstance(items, list) or not 1 <= len(items) <= 100:
                raise ValueError("in")
            return tuple(adapter.validate_python(item) for item in items)
        return adapter.validate_python(raw)


def _filterable(column: Column[Any]) -> bool:
    try:
        python_type(column)
    except TypeError:
        return False
    return True


def parse_filters(
    meta: ModelMeta, allowed: dict[str, int], coercer: Coercer, raw: dict[str, Any]
) -> tuple[Filter, ...]:
    """Validate ``{"status": "x", "created_at__gte": "..."}`` against the allowlist.

    Raises:
        ValidationError: naming an unknown filter or operator, or a value of the wrong type.
    """
    found: list[Filter] = []
    for name, value in sorted(raw.items()):
        field, _, operator = name.partition("__")
        operator = operator or "eq"
        if isinstance(value, dict) and len(value) == 1:  # {"created_at": {"gte": "..."}}
            ((operator, value),) = value.items()
        flag = op.names.get(operator, 0)
        if field not in allowed or not allowed[field] & flag:
            raise ValidationError(
                [FieldError(loc=("query", name), key="v.unknown_filter", params={"name": name})]
            )
        try:
            found.append(Filter(field, operator, coercer.value(field, operator, value)))
        except (PydanticError, ValueError) as exc:
            details = exc.errors() if isinstance(exc, PydanticError) else []
            errors = [field_error_from_pydantic(d, ("query", name)) for d in details] or [
                FieldError(loc=("query", name), key="v.invalid")
            ]
            raise ValidationError(errors) from exc
    return tuple(found)


def parse_order(
    order_by: str | Sequence[str] | None,
    sortable: frozenset[str],
    default: tuple[tuple[str, bool], ...],
) -> tuple[tuple[str, bool], ...]:
    """``"-created_at,name"`` -> ``(("created_at", True), ("name", False))``; 422 if not allowed."""
    if not order_by:
        return default
    parts = order_by.split(",") if isinstance(order_by, str) else list(order_by)
    order: list[tuple[str, bool]] = []
    for part in (p.strip() for p in parts if p.strip()):
        field = part.lstrip("-+")
        if field not in sortable:
            raise ValidationError(
                [
                    FieldError(
                        loc=("query", "order_by"), key="v.unknown_sort", params={"name": field}
                    )
                ]
            )
        order.append((field, part.startswith("-")))
    return tuple(order)


def encode_cursor(values: Sequence[Any]) -> str:
    """An opaque cursor holding the sort values of the last row of a page."""
    return base64.urlsafe_b64encode(orjson.dumps(list(values), default=str)).decode()


def decode_cursor(cursor: str, columns: Sequence[Column[Any]]) -> tuple[Any, ...]:
    """The sort values inside ``cursor``, typed like their columns; 422 when tampered with."""
    try:
        raw = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not isinstance(raw, list) or len(raw) != len(columns):
            raise ValueError("cursor")
        return tuple(value_adapter(c).validate_python(v) for c, v in zip(columns, raw, strict=True))
    except (ValueError, PydanticError, TypeError) as exc:
        raise ValidationError([FieldError(loc=("query", "cursor"), key="v.invalid")]) from exc


@dataclass(frozen=True, slots=True)
class Statements:
    """The cached statements of one query shape."""

    rows: Select[Any]
    count: Select[Any]


class StatementCache:
    """Statements per shape, least recently used evicted past CACHE_SIZE."""

    def __init__(self) -> None:
        self._items: OrderedDict[tuple[Any, ...], Statements] = OrderedDict()

    def get(self, shape: tuple[Any, ...], build: Callable[[], Statements]) -> Statements:
        found = self._items.get(shape)
        if found is None:
            found = self._items[shape] = build()
            if len(self._items) > CACHE_SIZE:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(shape)
        return found


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(name: str) -> BindParameter[str]:
    """A LIKE pattern's bind parameter, typed as plain text.

    A pattern is no column value: typed like its column, ``%`` + 15 letters + ``%`` would be
    refused by a 16-character column's length check while binding.
    """
    return bindparam(name, type_=String())


def member_of(column: Column[Any], name: str, dialect: str) -> ColumnElement[bool]:
    """``column`` is one of the list bound to ``name``.

    PostgreSQL gets ``= ANY(:name)`` with one array parameter, so the SQL text (and asyncpg's
    prepared statement) does not change with the list's length; elsewhere an expanding ``IN``.
    """
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def filter_clause(
    column: Column[Any], flt: Filter, index: int, dialect: str = ""
) -> tuple[ColumnElement[bool], str | None]:
    """The SQL condition of one filter and the name of its bind parameter (None: no value bound)."""
    name = f"f{index}"
    if flt.operator == "is_null":
        return (column.is_(None) if flt.value else column.is_not(None)), None
    if flt.operator == "in":
        return member_of(column, name, dialect), name
    if flt.operator == "contains":
        return column.ilike(like_pattern(name), escape="\\"), name
    param = bindparam(name, type_=column.type)
    comparisons: dict[str, Callable[[], ColumnElement[bool]]] = {
        "eq": lambda: column == param,
        "ne": lambda: column != param,
        "gt": lambda: column > param,
        "gte": lambda: column >= param,
        "lt": lambda: column < param,
        "lte": lambda: column <= param,
    }
    return comparisons[flt.operator](), name


def related_clause(rel: Relation, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """Rows having at least one live related row that meets ``condition`` (one subquery)."""
    target = rel.target
    if rel.direction == "many_to_many":
        assert rel.secondary is not None
        assert rel.secondary_target is not None
        related = select(rel.remote).join_from(
            rel.secondary, target.table, rel.secondary_target == target.pk
        )
    else:
        related = select(rel.remote)
    related = related.where(condition)
    if target.soft_delete is not None:
        related = related.where(target.soft_delete.is_(None))
    return rel.local.in_(related)


def keyset_clause(
    columns: Sequence[Column[Any]], descending: Sequence[bool]
) -> ColumnElement[bool]:
    """Rows after the cursor in the given sort: (a > :c0) OR (a = :c0 AND b > :c1) ..."""
    branches = []
    for depth, column in enumerate(columns):
        equal = [columns[i] == bindparam(f"c{i}", type_=columns[i].type) for i in range(depth)]
        param = bindparam(f"c{depth}", type_=column.type)
        after = column < param if descending[depth] else column > param
        branches.append(and_(*equal, after))
    return or_(*branches)
