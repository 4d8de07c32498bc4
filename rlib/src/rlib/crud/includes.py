"""Includes: related rows fetched with one query per relation (``IN`` / ``= ANY``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY

from rlib.crud.execute import Executor
from rlib.crud.meta import Relation
from rlib.scope import Scope

Row = dict[str, Any]


def _matching(column: Any, dialect: str) -> ColumnElement[bool]:  # a Column
    # PostgreSQL gets one array parameter, so the statement text (and its prepared plan)
    # does not change with the number of ids; elsewhere an expanding IN.
    if dialect == "postgresql":
        return column == bindparam("ids", type_=ARRAY(column.type)).any_()  # type: ignore[no-any-return]
    return column.in_(bindparam("ids", expanding=True))  # type: ignore[no-any-return]


class Includer:
    """Builds and caches the one statement of each relation, per dialect."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self._statements: dict[tuple[str, tuple[str, ...], str], Select[Any]] = {}

    def _statement(self, rel: Relation, dialect: str) -> Select[Any]:
        key = (rel.name, tuple(rel.target.columns), dialect)
        if key not in self._statements:
            self._statements[key] = _build(rel, dialect)
        return self._statements[key]

    async def attach(
        self, scope: Scope, rows: Sequence[Row], relations: Sequence[Relation]
    ) -> None:
        """Add each relation to every row in place: a dict (to-one) or a list (to-many)."""
        if not rows or not relations:
            return
        dialect = scope.unit.dialect.name
        for rel in relations:
            keys = list({row[rel.local.key] for row in rows if row.get(rel.local.key) is not None})
            found: dict[Any, list[Row]] = defaultdict(list)
            if keys:
                fetched = await self.executor.rows(
                    scope, self._statement(rel, dialect), {"ids": keys}
                )
                for item in fetched:
                    found[item.pop("_join")].append(item)
            for row in rows:
                matches = found.get(row.get(rel.local.key), [])
                row[rel.name] = (
                    (matches[0] if matches else None) if rel.direction == "to_one" else matches
                )


def _build(rel: Relation, dialect: str) -> Select[Any]:
    target = rel.target
    columns = list(target.columns.values())
    if rel.direction == "many_to_many":
        assert rel.secondary is not None
        assert rel.secondary_target is not None
        stmt = (
            select(*columns, rel.remote.label("_join"))
            .join_from(target.table, rel.secondary, rel.secondary_target == target.pk)
            .where(_matching(rel.remote, dialect))
        )
    else:
        stmt = select(*columns, rel.remote.label("_join")).where(_matching(rel.remote, dialect))
    if target.soft_delete is not None:
        stmt = stmt.where(target.soft_delete.is_(None))
    return stmt.order_by(*rel.order, target.pk)
