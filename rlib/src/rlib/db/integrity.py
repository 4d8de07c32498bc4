"""Turn database errors caused by bad input into 409/422 errors; never a 500.

PostgreSQL reports SQLSTATE codes and constraint names; SQLite reports messages such as
``UNIQUE constraint failed: book.slug``. Both are mapped to the same error classes, naming
the field(s) through the app's MetaData where the driver gives a constraint name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Index, MetaData, UniqueConstraint
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from rlib.db.types import ColumnValueError
from rlib.errors import (
    DeleteBlockedError,
    FieldError,
    RlibError,
    ServiceUnavailableError,
    UniqueViolationError,
    ValidationError,
)

_PG_KEY_DETAIL = re.compile(r"Key \((?P<cols>[^)]*)\)")
_PG_REFERENCED_FROM = re.compile(r'referenced from table "(?P<table>[^"]+)"')
_SQLITE_COLUMNS = re.compile(r"constraint failed: (?P<cols>.+)$")
_DATA_STATES = {
    "22001": "v.string_too_long",
    "22003": "v.out_of_range",
    "22021": "v.nul_byte",
    "22P02": "v.invalid",
    "22007": "v.datetime",
    "22008": "v.datetime",
}
_VALUE_KEYS = {
    "nul_byte": "v.nul_byte",
    "too_long": "v.string_too_long",
    "out_of_range": "v.out_of_range",
    "naive_datetime": "v.naive_datetime",
}


@dataclass(frozen=True, slots=True)
class _DriverError:
    sqlstate: str | None
    message: str
    constraint: str | None
    column: str | None
    table: str | None
    detail: str


def _driver_error(exc: DBAPIError) -> _DriverError:
    orig = exc.orig
    cause = getattr(orig, "__cause__", None) or orig
    return _DriverError(
        sqlstate=getattr(orig, "sqlstate", None) or getattr(cause, "sqlstate", None),
        message=str(orig),
        constraint=getattr(cause, "constraint_name", None),
        column=getattr(cause, "column_name", None),
        table=getattr(cause, "table_name", None),
        detail=getattr(cause, "detail", None) or "",
    )


def _constraint_columns(metadata: MetaData | None, name: str | None) -> list[str]:
    if metadata is None or not name:
        return []
    for table in metadata.tables.values():
        for item in (*table.constraints, *table.indexes):
            if isinstance(item, (UniqueConstraint, Index)) and item.name == name:
                return [col.name for col in item.columns] or _expression_columns(item)
    return []


def _expression_columns(index: UniqueConstraint | Index) -> list[str]:
    expressions = getattr(index, "expressions", [])
    found: list[str] = []
    for expression in expressions:
        found.extend(col.name for col in getattr(expression, "base_columns", ()))
    return found


def _unique(driver: _DriverError, metadata: MetaData | None) -> RlibError:
    columns = _constraint_columns(metadata, driver.constraint)
    if not columns and (match := _PG_KEY_DETAIL.search(driver.detail)):
        columns = [part.strip() for part in match.group("cols").split(",")]
    if not columns and (match := _SQLITE_COLUMNS.search(driver.message)):
        columns = [part.strip().rsplit(".", 1)[-1] for part in match.group("cols").split(",")]
    field = ", ".join(dict.fromkeys(col.split("(")[-1].rstrip(")") for col in columns)) or "Data"
    return UniqueViolationError(field=field)


def _foreign_key(driver: _DriverError, statement: str, metadata: MetaData | None) -> RlibError:
    if statement.lstrip().upper().startswith("DELETE") or "still referenced" in driver.detail:
        match = _PG_REFERENCED_FROM.search(driver.detail)
        relation = match.group("table") if match else _referencing_tables(metadata, statement)
        return DeleteBlockedError(relation=relation)
    columns = _constraint_fk_columns(metadata, driver.constraint)
    return ValidationError(
        [FieldError(loc=("body", col), key="error.db_foreign_key") for col in columns],
        "error.db_foreign_key",
    )


def _constraint_fk_columns(metadata: MetaData | None, name: str | None) -> list[str]:
    if metadata is None or not name:
        return []
    for table in metadata.tables.values():
        for fk in table.foreign_key_constraints:
            if fk.name == name:
                return [col.name for col in fk.columns]
    return []


def _referencing_tables(metadata: MetaData | None, statement: str) -> str:
    match = re.search(r"DELETE FROM\s+\"?(\w+)\"?", statement, re.IGNORECASE)
    if metadata is None or match is None:
        return "data lain"
    target = match.group(1)
    names = sorted(
        table.name
        for table in metadata.tables.values()
        if any(fk.referred_table.name == target for fk in table.foreign_key_constraints)
    )
    return ", ".join(names) or "data lain"


def _not_null(driver: _DriverError) -> RlibError:
    column = driver.column
    if column is None and (match := _SQLITE_COLUMNS.search(driver.message)):
        column = match.group("cols").rsplit(".", 1)[-1]
    field = column or "Data"
    return ValidationError(
        [FieldError(loc=("body", field), key="v.missing")], "error.db_not_null", field=field
    )


def _check(driver: _DriverError) -> RlibError:
    name = driver.constraint
    if name is None and (match := _SQLITE_COLUMNS.search(driver.message)):
        name = match.group("cols")
    field = (name or "data").removeprefix("ck_")
    return ValidationError(
        [FieldError(loc=("body", field), key="v.invalid")], "error.db_check", field=field
    )


def _classify(driver: _DriverError) -> str | None:
    if driver.sqlstate:
        return {"23505": "unique", "23503": "fk", "23502": "not_null", "23514": "check"}.get(
            driver.sqlstate, "data" if driver.sqlstate in _DATA_STATES else None
        )
    text = driver.message
    for marker, kind in (
        ("UNIQUE constraint", "unique"),
        ("FOREIGN KEY constraint", "fk"),
        ("NOT NULL constraint", "not_null"),
        ("CHECK constraint", "check"),
    ):
        if marker in text:
            return kind
    if "database is locked" in text:
        return "busy"
    return None


def map_db_error(exc: BaseException, metadata: MetaData | None = None) -> RlibError | None:
    """The framework error for a database exception caused by the input, or None (a real bug).

    Args:
        exc: the exception raised at flush, execute or commit.
        metadata: the app's MetaData, used to name the fields of a violated constraint.
    """
    if isinstance(exc, StatementError) and isinstance(exc.orig, ColumnValueError):
        return _column_value(exc)
    if isinstance(exc, PoolTimeoutError):  # every connection busy for pool_timeout_s: overload
        return ServiceUnavailableError(retry_after=1)
    if not isinstance(exc, DBAPIError):
        return None
    driver = _driver_error(exc)
    kind = _classify(driver)
    statement = exc.statement or ""
    handlers: dict[str, Callable[[], RlibError]] = {
        "unique": lambda: _unique(driver, metadata),
        "fk": lambda: _foreign_key(driver, statement, metadata),
        "not_null": lambda: _not_null(driver),
        "check": lambda: _check(driver),
        "data": lambda: ValidationError(
            [FieldError(loc=("body",), key=_DATA_STATES[driver.sqlstate or ""])]
        ),
        "busy": lambda: ServiceUnavailableError(retry_after=1),
    }
    handler = handlers.get(kind or "")
    return handler() if handler else None


def _column_value(exc: StatementError) -> RlibError:
    error = exc.orig
    assert isinstance(error, ColumnValueError)
    return column_value_error(_offending_param(exc, error), error)


def column_value_error(field: str, error: ColumnValueError) -> ValidationError:
    """The 422 for a value its column's type refused while binding, naming ``field``."""
    params = {"max_length": error.limit} if error.reason == "too_long" else {}
    key = _VALUE_KEYS.get(error.reason, "v.invalid")
    return ValidationError([FieldError(loc=("body", field), key=key, params=params)])


def _offending_param(exc: StatementError, error: ColumnValueError) -> str:
    raw = exc.params
    rows = raw if isinstance(raw, (list, tuple)) else [raw]
    for row in rows:
        if not isinstance(row, dict):
            continue
        for name, value in row.items():
            if _violates(value, error):
                return re.sub(r"_\d+$", "", str(name))
    return "value"


def _violates(value: object, error: ColumnValueError) -> bool:
    if isinstance(value, str):
        if error.reason == "nul_byte":
            return "\x00" in value
        return error.reason == "too_long" and error.limit is not None and len(value) > error.limit
    if isinstance(value, int) and not isinstance(value, bool):
        return (
            error.reason == "out_of_range" and error.limit is not None and abs(value) > error.limit
        )
    return False
