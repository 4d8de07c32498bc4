"""What the CRUD engine needs to know about a mapped model, read once at declaration.

Sensitive columns (``info={"sensitive": True}`` or named in the options) are never selected,
filtered, sorted, searched or included by any generic path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table
from sqlalchemy.orm import Mapper, RelationshipDirection, RelationshipProperty


@dataclass(frozen=True, slots=True)
class Relation:
    """One includable relationship, reduced to the columns that join it."""

    name: str
    target: ModelMeta
    direction: str  # "to_one" | "to_many" | "many_to_many"
    local: Column[Any]  # column on this model holding the join value
    remote: Column[Any]  # column on the target (or the secondary) matched against it
    secondary: Table | None = None
    secondary_target: Column[Any] | None = None  # secondary column pointing at the target
    order: tuple[Column[Any], ...] = ()  # the relationship's own ``order_by`` (target columns)


@dataclass(slots=True)
class ModelMeta:
    """Columns and keys of a model as the CRUD engine uses them."""

    model: type[Any]
    table: Table
    pk: Column[Any]
    columns: dict[str, Column[Any]]  # public (non-sensitive) columns by column name
    sensitive: frozenset[str]
    soft_delete: Column[Any] | None
    version: Column[Any] | None
    relations: dict[str, Relation] = field(default_factory=dict)

    @property
    def resource(self) -> str:
        """The table name, used in messages when no resource label is given."""
        return self.table.name


_CACHE: dict[tuple[type[Any], frozenset[str], str | None], ModelMeta] = {}


def _mapper(model: type[Any]) -> Mapper[Any]:
    mapper: Mapper[Any] = model.__mapper__
    return mapper


def inspect_model(
    model: type[Any], *, sensitive: Iterable[str] = (), soft_delete_field: str | None = None
) -> ModelMeta:
    """Read columns, key, soft-delete and version columns of ``model`` (cached per options)."""
    key = (model, frozenset(sensitive), soft_delete_field)
    if key in _CACHE:
        return _CACHE[key]
    mapper = _mapper(model)
    table = mapper.local_table
    if not isinstance(table, Table) or len(mapper.primary_key) != 1:
        raise TypeError(f"{model.__name__}: the CRUD engine needs a table with a single-column key")
    hidden = set(sensitive)
    public: dict[str, Column[Any]] = {}
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        if column.info.get("sensitive") or attr.key in hidden or column.name in hidden:
            hidden.update({attr.key, column.name})
        elif isinstance(column, Column):
            public[column.name] = column
    meta = ModelMeta(
        model=model,
        table=table,
        pk=_col(mapper.primary_key[0]),
        columns=public,
        sensitive=frozenset(hidden),
        soft_delete=table.c.get(soft_delete_field) if soft_delete_field else None,
        version=table.c.get("version"),
    )
    _CACHE[key] = meta
    return meta


def relation(meta: ModelMeta, name: str, fields: Sequence[str] | None = None) -> Relation:
    """The includable relationship ``name`` of ``meta``'s model, optionally only ``fields``.

    Raises:
        TypeError: for an unknown relationship or field, or a join that cannot be batched.
    """
    key = f"{name}:{','.join(fields)}" if fields else name
    if key in meta.relations:
        return meta.relations[key]
    prop = _mapper(meta.model).relationships.get(name)
    if not isinstance(prop, RelationshipProperty):
        raise TypeError(f"{meta.model.__name__} has no relationship {name!r} to include")
    table = prop.mapper.local_table
    unknown = set(fields or ()) - set(table.c.keys())
    if unknown:
        raise TypeError(f"{name}: no columns {sorted(unknown)} to include")
    hidden = [c.name for c in table.c if fields and c.name not in fields]
    target = inspect_model(
        prop.mapper.class_, sensitive=hidden, soft_delete_field=_soft_field(prop.mapper)
    )
    found = _reduce(name, prop, target, meta.table)
    meta.relations[key] = found
    return found


def _soft_field(mapper: Mapper[Any]) -> str | None:
    return "deleted_at" if "deleted_at" in mapper.local_table.c else None


def _reduce(
    name: str, prop: RelationshipProperty[Any], target: ModelMeta, source: Table
) -> Relation:
    pairs = list(prop.local_remote_pairs or ())
    if prop.direction is RelationshipDirection.MANYTOMANY:
        secondary = prop.secondary
        if not isinstance(secondary, Table) or len(pairs) != 2:
            raise TypeError(f"{name}: only simple association tables can be included")
        local, remote = next((lc, rc) for lc, rc in pairs if lc.table is source)
        target_key, target_side = next((lc, rc) for lc, rc in pairs if lc.table is not source)
        if target_key is not target.pk:
            raise TypeError(f"{name}: the association must point at the target's key")
        return Relation(
            name,
            target,
            "many_to_many",
            _col(local),
            _col(remote),
            secondary,
            _col(target_side),
            _order(prop, target),
        )
    if len(pairs) != 1:
        raise TypeError(f"{name}: only single-column joins can be included")
    local, remote = pairs[0]
    direction = "to_one" if prop.direction is RelationshipDirection.MANYTOONE else "to_many"
    return Relation(name, target, direction, _col(local), _col(remote), order=_order(prop, target))


def _order(prop: RelationshipProperty[Any], target: ModelMeta) -> tuple[Column[Any], ...]:
    # Plain columns of the target only (``order_by="Chapter.number"``); anything else is left
    # to the key order the include always ends with.
    given = prop.order_by if isinstance(prop.order_by, (list, tuple)) else ()
    return tuple(c for c in given if isinstance(c, Column) and c.table is target.table)


def _col(column: Any) -> Column[Any]:  # SQLAlchemy yields ColumnElement
    if not isinstance(column, Column):
        raise TypeError("only plain columns can join an include")
    return column
