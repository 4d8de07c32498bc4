"""The pages' fixed read statements, run on rlib's compiled fast path (ADR 0008, 0015).

A page's statement is built once at import with every per-request value (slug, book, caller)
as a bound parameter; ``READS`` compiles it once per dialect and runs it on the read unit's
native connection, skipping SQLAlchemy's per-execution work (benchmark scenario f). Rows come
back as plain dicts, with the same values the session would give.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ARRAY, BindParameter, ColumnElement, bindparam

from rlib import Scope
from rlib.crud.execute import Executor, Row

READS = Executor()

__all__ = ["READS", "Row", "any_of", "by_dialect"]


def any_of(column: Any, name: str, dialect: str) -> ColumnElement[bool]:
    """``column`` among the list bound as ``name``: one array parameter on PostgreSQL (the
    statement text does not change with the number of values), an expanding IN elsewhere."""
    if dialect == "postgresql":
        values: BindParameter[Any] = bindparam(name, type_=ARRAY(column.type))
        return column == values.any_()  # type: ignore[no-any-return]
    return column.in_(bindparam(name, expanding=True))  # type: ignore[no-any-return]


def by_dialect(scope: Scope, statements: dict[str, Any]) -> Any:
    """The statement built for the scope's dialect (``default`` for any other)."""
    name = scope.unit.dialect.name
    return statements.get(name, statements["default"])
