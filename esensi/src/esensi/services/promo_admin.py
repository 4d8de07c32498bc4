"""Rules for keeping promo codes (publish and internal ``promo_code``), used as CRUD hooks.

Ranges that span fields (a percentage of at most 100, ``valid_to`` after ``valid_from``) are
checked on the row as it will be stored, so a partial update cannot slip past them and the
answer is a 422 naming the field, not a database error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from esensi.models.enums import DiscountType, SalesStatus
from esensi.models.sales import TSales
from rlib import FieldError, Scope, ValidationError
from rlib.db.base import utcnow

Row = dict[str, Any]


def check_terms(values: Mapping[str, Any]) -> None:
    """422 when the combined values break a range the database would refuse."""
    errors = []
    if values["discount_type"] == DiscountType.PERCENTAGE.value and Decimal(
        values["discount_value"]
    ) > Decimal(100):
        errors.append(FieldError(loc=("body", "discount_value"), key="v.le", params={"le": 100}))
    valid_from: dt.datetime = values["valid_from"]
    valid_to: dt.datetime | None = values.get("valid_to")
    if valid_to is not None and valid_to <= valid_from:
        errors.append(FieldError(loc=("body", "valid_to"), key="promo.valid_range"))
    if errors:
        raise ValidationError(errors)


async def before_create(scope: Scope, data: Row) -> Row:
    if data.get("valid_from") is None:
        data["valid_from"] = utcnow()
    check_terms(data)
    return data


async def before_update(scope: Scope, changes: Row, row: Row) -> Row:
    if "valid_from" in changes and changes["valid_from"] is None:
        changes["valid_from"] = row["valid_from"]
    check_terms({**row, **changes})
    return changes


async def before_delete(scope: Scope, row: Row) -> None:
    """Carts holding the code drop it (nothing was reserved); an order that used it keeps the
    delete blocked (409)."""
    await scope.db.execute(
        update(TSales)
        .where(TSales.id_promo_code == row["id"], TSales.status == SalesStatus.CART.value)
        .values(id_promo_code=None, promo_code=None)
        .execution_options(synchronize_session=False)
    )
