"""The executor's compiled statements: constants carried by the statement, one per dialect."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from rlib.crud.execute import Executor, _Compiled

_TABLE = Table("thing", MetaData(), Column("id", Integer), Column("status", String))
# Built once: the status is a constant of the statement, the id is bound per call.
_STMT = (
    select(_TABLE.c.id).where(_TABLE.c.status == "live", _TABLE.c.id > bindparam("above")).limit(20)
)


def test_a_statement_built_once_keeps_its_own_constants_and_takes_the_callers_values() -> None:
    compiled = _Compiled(_STMT, postgresql.asyncpg.dialect())
    assert compiled.arguments({"above": 7}) == ["live", 7, 20]


def test_one_statement_is_compiled_for_each_dialect_it_runs_on() -> None:
    executor = Executor()
    on_postgresql = executor._statement(_STMT, postgresql.asyncpg.dialect())
    on_sqlite = executor._statement(_STMT, sqlite.aiosqlite.dialect())
    assert "$1" in on_postgresql.sql
    assert "?" in on_sqlite.sql
    assert executor._statement(_STMT, postgresql.asyncpg.dialect()) is on_postgresql
