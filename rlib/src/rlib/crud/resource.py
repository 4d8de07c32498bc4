"""A declared CRUD resource: the model's metadata, the checked options, cached statements.

Everything that can be checked is checked here, at start-up: filters, sort, search and include
names exist and are not sensitive; write schemas cannot set server-owned fields.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Optional, cast

from pydantic import BaseModel, ConfigDict, TypeAdapter, create_model
from pydantic.fields import FieldInfo
from sqlalchemy import Column, ColumnElement, Select, bindparam, false, func, insert, or_, select

from rlib.context import Ctx
from rlib.crud.execute import Executor
from rlib.crud.includes import Includer
from rlib.crud.meta import ModelMeta, Relation, inspect_model, relation
from rlib.crud.options import (
    AfterHook,
    BulkOptions,
    CountMode,
    CreateOptions,
    DeleteOptions,
    GetOptions,
    ListOptions,
    NestedOptions,
    RestoreOptions,
    UpdateOptions,
)
from rlib.crud.query import (
    Coercer,
    Filter,
    ListQuery,
    StatementCache,
    Statements,
    filter_clause,
    keyset_clause,
    like_pattern,
    member_of,
    parse_order,
    related_clause,
)
from rlib.db.compiled import CompiledInsert
from rlib.db.values import value_adapter

SERVER_OWNED = frozenset({"created_at", "updated_at", "deleted_at", "version"})
MAX_IDS = 10_000


class Resource:
    """One model exposed through the CRUD actions (a nested child is a Resource with a parent)."""

    def __init__(
        self,
        model: type[Any],
        options: Mapping[str, Any],
        *,
        name: str,
        parent_field: str | None = None,
        scope: Mapping[str, Any] | None = None,
    ) -> None:
        soft = options.get("soft_delete") or {}
        self.soft = bool(soft.get("enabled", False))
        self.meta: ModelMeta = inspect_model(
            model,
            sensitive=_hidden(model, options),
            soft_delete_field=soft.get("field", "deleted_at") if self.soft else None,
        )
        if self.soft and self.meta.soft_delete is None:
            raise TypeError(f"{name}: soft delete needs a {soft.get('field', 'deleted_at')} column")
        self.name = name
        self.label: str = options.get("resource") or model.__name__
        self.max_page = int(options.get("max_page_size", 100))
        self.max_bulk = int(options.get("max_bulk", 100))
        self._list = cast(ListOptions, options.get("list") or {})
        self.delete_options = cast(DeleteOptions, options.get("delete") or {})
        self.bulk = cast(BulkOptions, options.get("bulk_delete") or {})
        self.restore_options = cast(RestoreOptions, options.get("restore") or {})
        self.create_options = cast(CreateOptions, options.get("create") or {})
        self.update_options = cast(UpdateOptions, options.get("update") or {})
        self._scope(scope or {}, parent_field)
        self._list_checks()
        self.list_include = self._relations(self._list.get("include", ()))
        self.includable = {
            rel.name: rel
            for rel in (*self.list_include, *self._relations(self._list.get("includable", ())))
        }
        get_options = cast(GetOptions, options.get("get") or {})
        self.get_include = self._relations(get_options.get("include", ()))
        self.get_after: AfterHook | None = get_options.get("after")
        self.get_operation_url = bool(get_options.get("operation_url", True))
        self.create_schema = self._write_schema(self.create_options, "create")
        update_schema = self._write_schema(self.update_options, "update")
        self.update_schema = _partial(update_schema) if update_schema else None
        self.relation_names = frozenset(model.__mapper__.relationships.keys())
        self.pk_adapter: TypeAdapter[Any] = value_adapter(self.meta.pk)
        self.cache = StatementCache()
        self.executor = Executor()
        self._estimates: dict[int, tuple[Select[Any], Select[Any]]] = {}
        self.insert_statement = insert(self.meta.table).returning(*self.meta.columns.values())
        self.inserter = CompiledInsert(self.meta.table, list(self.meta.columns.values()))
        self.includer = Includer(self.executor)
        self.coercer = Coercer(self.meta, self.filter_columns)
        self.children: dict[str, Resource] = {
            child: Resource(
                spec["model"],
                cast(Mapping[str, Any], spec),
                name=f"{name}_{child}",
                parent_field=spec["parent_field"],
            )
            for child, spec in cast(
                Mapping[str, NestedOptions], options.get("nested") or {}
            ).items()
        }

    # -- declaration checks -------------------------------------------------------------

    def _relations(self, spec: Sequence[str] | Mapping[str, Sequence[str]]) -> list[Relation]:
        # ["author"] includes every public column; {"author": ["id", "name"]} only those.
        if isinstance(spec, Mapping):
            found = [relation(self.meta, name, list(fields)) for name, fields in spec.items()]
        else:
            found = [relation(self.meta, name) for name in spec]
        for rel in found:
            if rel.local.name not in self.meta.columns:
                raise TypeError(
                    f"{self.name}: including {rel.name!r} needs the column "
                    f"{rel.local.name!r} among the returned fields"
                )
        return found

    def _column(self, key: str, purpose: str) -> Column[Any]:
        if key in self.meta.sensitive:
            raise TypeError(f"{self.name}: sensitive column {key!r} cannot be used for {purpose}")
        column = self.meta.columns.get(key)
        if column is None:
            raise TypeError(
                f"{self.name}: {self.meta.table.name} has no column {key!r} ({purpose})"
            )
        return column

    def _scope(self, scope: Mapping[str, Any], parent_field: str | None) -> None:
        self.scope_column = self._column(scope["field"], "scope") if scope else None
        self.scope_value: Callable[[Ctx], object] | None = scope.get("value") if scope else None
        self.stamp = bool(scope.get("stamp", True)) if scope else False
        self.choose = bool(scope.get("choose", False)) if scope else False
        self.parent_column = self._column(parent_field, "parent") if parent_field else None

    def _list_checks(self) -> None:
        self.filters = dict(self._list.get("filters", {}))
        # "genres.slug": a column of a related table; the row matches when a related row does.
        self.filter_columns: dict[str, Column[Any]] = {}
        self.related_filters: dict[str, Relation] = {}
        for key in self.filters:
            name, dot, field = key.partition(".")
            if not dot:
                self.filter_columns[key] = self._column(key, "filter")
                continue
            rel = relation(self.meta, name)
            column = rel.target.columns.get(field)
            if column is None:
                raise TypeError(f"{self.name}: {name!r} has no public column {field!r} to filter")
            self.related_filters[key] = rel
            self.filter_columns[key] = column
        self.search_columns = [
            self._column(k, "search") for k in self._list.get("search_fields", ())
        ]
        default = self._list.get("order_by", ())
        sortable = {*self._list.get("sortable", ()), *(part.lstrip("-+") for part in default)}
        for key in sortable:
            self._column(key, "sort")
        self.sortable = frozenset(sortable)
        self.default_order = parse_order(list(default), self.sortable, ()) if default else ()
        self.count_mode: CountMode = self._list.get("count", "exact")
        self.estimate_threshold = int(self._list.get("estimate_threshold", 10_000))
        label = self._list.get("label_field")
        self.label_column = self._column(label, "label") if label else None
        self.static_where = self._list.get("where")

    def _write_schema(
        self, options: CreateOptions | UpdateOptions, action: str
    ) -> type[BaseModel] | None:
        schema = options.get("schema")
        if schema is None:
            return None
        owned = set(SERVER_OWNED)
        if self.meta.pk.default is not None or self.meta.pk.server_default is not None:
            owned.add(self.meta.pk.name)  # a generated key; natural keys (cfg.key) are chosen
        chosen = self.scope_column if self.choose and action == "create" else None
        for column in (self.scope_column, self.parent_column, self.meta.soft_delete):
            if column is chosen:
                continue
            if column is not None:
                owned.add(column.name)
        fields = set(schema.model_fields)
        if fields & owned:
            raise TypeError(
                f"{self.name}: {action} schema sets server-owned {sorted(fields & owned)}"
            )
        if "action" in fields:
            raise TypeError(
                f"{self.name}: a {action} schema field named 'action' would be "
                "confused with the action dispatcher"
            )
        unknown = fields - set(self.meta.table.c.keys())
        if unknown:
            raise TypeError(
                f"{self.name}: {action} schema fields {sorted(unknown)} are not columns"
            )
        if schema.model_config.get("extra") == "forbid":
            return schema
        return _forbid_extra(schema)

    # -- statements -----------------------------------------------------------------------

    def conditions(
        self, *, trash: bool, scope_kind: str, parented: bool, dialect: str = ""
    ) -> list[ColumnElement[bool]]:
        """Conditions every action applies: soft delete, static filter, owner scope, parent."""
        found: list[ColumnElement[bool]] = []
        if self.meta.soft_delete is not None:
            found.append(
                self.meta.soft_delete.is_not(None) if trash else self.meta.soft_delete.is_(None)
            )
        if self.static_where is not None:
            found.append(self.static_where())
        if self.scope_column is not None and scope_kind != "all":
            if scope_kind == "none":
                found.append(false())
            elif scope_kind == "in":
                found.append(member_of(self.scope_column, "scope", dialect))
            else:
                found.append(self.scope_column == bindparam("scope", type_=self.scope_column.type))
        if parented and self.parent_column is not None:
            found.append(self.parent_column == bindparam("parent", type_=self.parent_column.type))
        return found

    def list_statements(
        self, query: ListQuery, scope_kind: str, parented: bool, dialect: str = ""
    ) -> Statements:
        """The cached rows and count statements for ``query``'s shape on ``dialect``."""
        shape = (
            dialect,
            query.trash,
            scope_kind,
            parented,
            query.search is not None,
            query.order,
            query.cursor is not None,
            tuple(
                (f.field, f.operator, f.value if f.operator == "is_null" else None)
                for f in query.filters
            ),
        )
        return self.cache.get(shape, lambda: self._build(query, scope_kind, parented, dialect))

    def _build(self, query: ListQuery, scope_kind: str, parented: bool, dialect: str) -> Statements:
        where = self.conditions(
            trash=query.trash, scope_kind=scope_kind, parented=parented, dialect=dialect
        )
        for index, flt in enumerate(query.filters):
            where.append(self.filter_clause(flt, index, dialect))
        if query.search is not None:
            where.append(
                or_(*(c.ilike(like_pattern("search"), escape="\\") for c in self.search_columns))
            )
        count = select(func.count()).select_from(self.meta.table).where(*where)
        order_columns, descending = self.order_columns(query.order)
        if query.cursor is not None:
            where.append(keyset_clause(order_columns, descending))
        rows = (
            select(*self.meta.columns.values())
            .where(*where)
            .order_by(
                *(
                    c.desc() if d else c.asc()
                    for c, d in zip(order_columns, descending, strict=True)
                )
            )
            .limit(bindparam("limit"))
            .offset(bindparam("offset"))
        )
        return Statements(rows=rows, count=count)

    def filter_clause(self, flt: Filter, index: int, dialect: str = "") -> ColumnElement[bool]:
        """The condition of one requested filter, on this table or through a relation."""
        condition = filter_clause(self.filter_columns[flt.field], flt, index, dialect)[0]
        rel = self.related_filters.get(flt.field)
        return condition if rel is None else related_clause(rel, condition)

    def estimate_statement(self, count: Select[Any]) -> Select[Any]:
        """``SELECT 1`` over the FROM/WHERE of ``count`` (cached): what EXPLAIN estimates."""
        found = self._estimates.get(id(count))
        if found is None or found[0] is not count:
            where = (count.whereclause,) if count.whereclause is not None else ()
            found = (count, select(1).select_from(count.get_final_froms()[0]).where(*where))
            self._estimates[id(count)] = found
        return found[1]

    def order_columns(
        self, order: Sequence[tuple[str, bool]]
    ) -> tuple[list[Column[Any]], list[bool]]:
        """Sort columns and directions, always ending with the key so pages are deterministic."""
        columns = [self.meta.columns[key] for key, _ in order]
        descending = [desc for _, desc in order]
        if self.meta.pk not in columns:
            columns.append(self.meta.pk)
            descending.append(descending[-1] if descending else False)
        return columns, descending

    def row_statement(
        self, scope_kind: str, parented: bool, *, trash: bool = False, dialect: str = ""
    ) -> Select[Any]:
        """SELECT one visible row by key."""
        return self.cache.get(
            ("row", dialect, scope_kind, parented, trash),
            lambda: Statements(
                rows=select(*self.meta.columns.values()).where(
                    self.meta.pk == bindparam("id", type_=self.meta.pk.type),
                    *self.conditions(
                        trash=trash, scope_kind=scope_kind, parented=parented, dialect=dialect
                    ),
                ),
                count=select(func.count()),
            ),
        ).rows

    def locked_rows_statement(self, scope_kind: str, parented: bool) -> Select[Any]:
        """SELECT the visible live rows among ``:ids``, locked until the write (``FOR UPDATE``).

        What a ``before`` hook is handed: the rows it judges cannot change before the write
        that follows (SQLite, which locks the whole database on write, renders no clause).
        """
        return self.cache.get(
            ("locked", scope_kind, parented),
            lambda: Statements(
                rows=select(*self.meta.columns.values())
                .where(
                    self.meta.pk.in_(bindparam("ids", expanding=True)),
                    *self.conditions(trash=False, scope_kind=scope_kind, parented=parented),
                )
                .with_for_update(),
                count=select(func.count()),
            ),
        ).rows


def _hidden(model: type[Any], options: Mapping[str, Any]) -> list[str]:
    # ``fields`` narrows what any generic path returns; the rest is hidden like sensitive data.
    hidden = list(options.get("sensitive", ()))
    fields = options.get("fields")
    if fields:
        columns = model.__table__.c
        unknown = set(fields) - set(columns.keys())
        if unknown:
            raise TypeError(f"{model.__name__}: fields {sorted(unknown)} are not columns")
        hidden += [c.name for c in columns if c.name not in fields]
    return hidden


def _partial(schema: type[BaseModel]) -> type[BaseModel]:
    # An update sends only what changed: every field optional, constraints kept.
    fields: dict[str, Any] = {
        key: (Optional[info.annotation], _optional(info))  # noqa: UP045
        for key, info in schema.model_fields.items()
    }
    return create_model(f"{schema.__name__}Patch", __config__=ConfigDict(extra="forbid"), **fields)


def _optional(info: FieldInfo) -> FieldInfo:
    # A shallow copy keeps alias, description and the constraints (``metadata``, never mutated).
    optional = copy.copy(info)
    optional.default = None
    optional.default_factory = None
    return optional


def _forbid_extra(schema: type[BaseModel]) -> type[BaseModel]:
    # Unknown keys (server-owned fields, typos) must be refused, not silently dropped.
    config = ConfigDict(**{**schema.model_config, "extra": "forbid"})
    return type(schema.__name__, (schema,), {"model_config": config})
