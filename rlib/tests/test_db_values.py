"""``value_adapter``: a value is checked against its column before any statement binds it."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import BigInteger, Column, Integer, SmallInteger, String, Uuid

from rlib.db.types import BoundedInteger, BoundedNumeric, BoundedString, UtcDateTime
from rlib.db.values import value_adapter


def _column(kind: object) -> Column[object]:
    return Column("c", kind)


@pytest.mark.parametrize(
    ("kind", "value", "error"),
    [
        (BoundedString(4), 5, "string_type"),
        (BoundedString(4), ["a"], "string_type"),
        (BoundedString(4), "abcde", "string_too_long"),
        (BoundedString(4), "a\x00", "nul_byte"),
        (String(4), "abcde", "string_too_long"),
        (String(), "a\x00", "nul_byte"),
        (BoundedInteger(), 2**31, "out_of_range"),
        (Integer(), 2**31, "out_of_range"),
        (SmallInteger(), -(2**15) - 1, "out_of_range"),
        (BigInteger().with_variant(Integer(), "sqlite"), 2**63, "out_of_range"),
        (BoundedNumeric(), Decimal("1e20"), "out_of_range"),
        (UtcDateTime(), dt.datetime(2026, 1, 1), "naive_datetime"),  # naive on purpose
        (Uuid(), "not-a-uuid", "uuid_parsing"),
    ],
)
def test_a_value_its_column_would_refuse_is_a_validation_error(kind, value, error):
    with pytest.raises(ValidationError) as caught:
        value_adapter(_column(kind)).validate_python(value)
    assert caught.value.errors()[0]["type"] == error


@pytest.mark.parametrize(
    ("kind", "raw", "value"),
    [
        (BoundedString(4), "abcd", "abcd"),
        (BigInteger(), "9223372036854775807", 2**63 - 1),
        (
            Uuid(),
            "01900000-0000-7000-8000-000000000000",
            uuid.UUID(int=0x01900000_0000_7000_8000_000000000000),
        ),
    ],
)
def test_a_value_that_fits_passes_in_the_column_type(kind, raw, value):
    assert value_adapter(_column(kind)).validate_python(raw) == value
