"""Column types that refuse bad input the same way on PostgreSQL and SQLite.

SQLite stores any string length and any integer, and PostgreSQL rejects NUL bytes with a
driver error; both would surface as a 500. These types check values while binding, so a
bad value raises :class:`ColumnValueError` (mapped to a 422) on either backend.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    CHAR,
    JSON,
    BigInteger,
    DateTime,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

INT16_RANGE = (-(2**15), 2**15 - 1)
INT32_RANGE = (-(2**31), 2**31 - 1)
INT64_RANGE = (-(2**63), 2**63 - 1)
DEFAULT_TEXT_CAP = 65535


class ColumnValueError(ValueError):
    """A value does not fit its column (too long, NUL byte, out of range)."""

    def __init__(self, reason: str, *, limit: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.limit = limit


def check_text(value: str, max_length: int | None) -> None:
    """Raise ColumnValueError when ``value`` has a NUL byte or exceeds ``max_length``."""
    if "\x00" in value:
        raise ColumnValueError("nul_byte")
    if max_length is not None and len(value) > max_length:
        raise ColumnValueError("too_long", limit=max_length)


class BoundedString(TypeDecorator[str]):
    """VARCHAR(n) that rejects NUL bytes and over-long values before they reach the driver."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is not None:
            check_text(value, getattr(self.impl, "length", None))
        return value


class BoundedChar(BoundedString):
    """CHAR(n) (fixed-width codes and hex digests) with the same checks as BoundedString."""

    impl = CHAR
    cache_ok = True


class BoundedText(TypeDecorator[str]):
    """TEXT with a declared character cap (65535 unless given) and no NUL bytes."""

    impl = Text
    cache_ok = True

    def __init__(self, cap: int = DEFAULT_TEXT_CAP) -> None:
        super().__init__()
        self.cap = cap

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is not None:
            check_text(value, self.cap)
        return value


class _BoundedInt(TypeDecorator[int]):
    impl: Any = Integer
    cache_ok = True
    bounds = INT32_RANGE

    def process_bind_param(self, value: int | None, dialect: Dialect) -> int | None:
        if value is not None and not (self.bounds[0] <= value <= self.bounds[1]):
            raise ColumnValueError("out_of_range", limit=self.bounds[1])
        return value


class BoundedInteger(_BoundedInt):
    """INTEGER (int4) refusing values outside its range on every backend."""

    # SQLAlchemy reads cache_ok from each class's own namespace, never inherited.
    cache_ok = True


class BoundedSmallInteger(_BoundedInt):
    """SMALLINT (int2) refusing values outside its range on every backend."""

    impl = SmallInteger
    bounds = INT16_RANGE
    cache_ok = True


class BoundedBigInteger(_BoundedInt):
    """BIGINT (int8) refusing values outside its range on every backend."""

    impl = BigInteger
    bounds = INT64_RANGE
    cache_ok = True


class BoundedNumeric(TypeDecorator[Decimal]):
    """NUMERIC(precision, scale), NUMERIC(18, 2) (money) unless given, rounded and range-checked.

    PostgreSQL rounds to the scale and raises a driver error past the precision; SQLite keeps
    whatever it gets. Rounding half away from zero (PostgreSQL's rule) and refusing out-of-range or
    non-finite values while binding makes both backends store the same value or refuse it alike.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 2) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if not number.is_finite():
            raise ColumnValueError("not_finite")
        limit = Decimal(10) ** (self.precision - self.scale)
        # Checked before quantize too: quantize itself fails on values past the context precision.
        if abs(number) >= limit:
            raise ColumnValueError("out_of_range")
        rounded = number.quantize(Decimal(1).scaleb(-self.scale), rounding=ROUND_HALF_UP)
        if abs(rounded) >= limit:
            raise ColumnValueError("out_of_range")
        return rounded


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware timestamp; naive values are refused, SQLite results come back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ColumnValueError("naive_datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


def json_type() -> JSON:
    """JSON on every backend, JSONB on PostgreSQL."""
    return JSON().with_variant(JSONB(), "postgresql")
