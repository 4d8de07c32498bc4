"""Checking a value against its column *before* it reaches the database.

A key from a URL or a body, or a filter value, is bound to a statement only after validation,
so whatever the column's type would refuse while binding (a NUL byte, a string longer than the
column, an integer past its width, a naive datetime) is refused here as a 422 instead: on the
native read path a bind-time refusal is no ``StatementError`` the runner could map, and a value
of the wrong JSON type (``{"key": 5}`` for a text key) would reach the driver as-is. Text
columns take strings only: 5 is not the key ``"5"``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Strict, TypeAdapter
from pydantic_core import PydanticCustomError
from sqlalchemy import BigInteger, Column, Integer, SmallInteger, String
from sqlalchemy.types import TypeDecorator, TypeEngine

from rlib.db.types import (
    INT16_RANGE,
    INT32_RANGE,
    INT64_RANGE,
    BoundedBigInteger,
    BoundedInteger,
    BoundedNumeric,
    BoundedSmallInteger,
    BoundedString,
    BoundedText,
    ColumnValueError,
    UtcDateTime,
    check_text,
)

# rlib's own types, whose bind checks read nothing but the value (never the dialect).
_SELF_CHECKING = (
    BoundedString,
    BoundedText,
    BoundedInteger,
    BoundedSmallInteger,
    BoundedBigInteger,
    BoundedNumeric,
    UtcDateTime,
)

_NO_DIALECT: Any = None  # see _SELF_CHECKING

# What a refusal while binding becomes: a pydantic error type the i18n catalogue maps.
_ERROR_TYPES = {
    "nul_byte": "nul_byte",
    "too_long": "string_too_long",
    "out_of_range": "out_of_range",
    "not_finite": "finite_number",
    "naive_datetime": "naive_datetime",
}


def column_python_type(column_type: TypeEngine[Any]) -> Any:  # a Python type
    """The Python type of a column's values (a TypeDecorator's is its implementation's).

    Raises:
        TypeError: for JSON and other types without a Python type (they cannot be keys or filters).
    """
    impl = getattr(column_type, "impl", column_type)
    try:
        return impl.python_type
    except NotImplementedError as exc:
        raise TypeError(f"{column_type!r} has no Python type") from exc


def value_adapter(column: Column[Any]) -> TypeAdapter[Any]:
    """Validates values for ``column``: its Python type, then its type's own bind-time checks."""
    kind = column.type
    base: Any = column_python_type(kind)
    if base is str:
        base = Annotated[str, Strict()]
    check = _bind_check(kind)
    if check is None:
        return TypeAdapter(base)
    return TypeAdapter(Annotated[base, AfterValidator(check)])


def _bind_check(kind: TypeEngine[Any]) -> Any:  # a validator function, or None
    if isinstance(kind, _SELF_CHECKING):
        decorator: TypeDecorator[Any] = kind

        def decorated(value: Any) -> Any:
            _refuse_like_binding(lambda: decorator.process_bind_param(value, _NO_DIALECT))
            return value

        return decorated
    if isinstance(kind, String):
        length = kind.length

        def text(value: Any) -> Any:
            _refuse_like_binding(lambda: check_text(value, length))
            return value

        return text
    if isinstance(kind, Integer):  # a plain SQLAlchemy integer: the width of its own type
        low, high = _width(kind)

        def integer(value: Any) -> Any:
            if not low <= value <= high:
                raise PydanticCustomError("out_of_range", "out_of_range")
            return value

        return integer
    return None


def _width(kind: Integer) -> tuple[int, int]:
    if isinstance(kind, BigInteger):
        return INT64_RANGE
    if isinstance(kind, SmallInteger):
        return INT16_RANGE
    return INT32_RANGE


def _refuse_like_binding(bind: Any) -> None:
    try:
        bind()
    except ColumnValueError as error:
        error_type = _ERROR_TYPES.get(error.reason, "value_error")
        context = {"max_length": error.limit} if error.reason == "too_long" else None
        raise PydanticCustomError(error_type, error.reason, context) from error
