"""Input models of promo codes, shared by the publisher portal and the back office.

``used_count`` is in no input model (the checkout owns it), so sending it is a 422 like any
unknown field; ``id_publisher`` only in the back office's (a publisher's codes are its own).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

Code = Annotated[
    str, StringConstraints(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Count = Annotated[int, Field(ge=1, le=1_000_000_000)]


class PromoCodeFields(BaseModel):
    """A code, its discount and its limits; ranges across fields are checked on the whole row."""

    model_config = ConfigDict(extra="forbid")

    code: Code
    discount_type: Literal["percentage", "fixed"]
    discount_value: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2)]
    max_discount: Money | None = None
    min_subtotal: Money = Decimal(0)
    valid_from: AwareDatetime | None = None
    valid_to: AwareDatetime | None = None
    usage_limit: Count | None = None
    per_customer_limit: Count = 1
    status: Literal["active", "inactive"] = "active"


class StaffPromoCodeFields(PromoCodeFields):
    """Staff may scope a code to one publisher's products (null: the whole store)."""

    id_publisher: uuid.UUID | None = None
