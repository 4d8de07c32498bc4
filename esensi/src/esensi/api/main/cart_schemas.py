"""Input and output models of the cart."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

Qty = Field(default=1, ge=1, le=10)


class CartAdd(BaseModel):
    """A product (quantity 1) or a bundle to add; exactly one of the two ids."""

    model_config = ConfigDict(extra="forbid")

    id_product: uuid.UUID | None = None
    id_bundle: uuid.UUID | None = None
    qty: int = Qty


class CartUpdate(BaseModel):
    """A line of the caller's cart and its new quantity."""

    model_config = ConfigDict(extra="forbid")

    id_line: uuid.UUID
    qty: int = Field(ge=1, le=10)


class CartRemove(BaseModel):
    """Lines of the caller's cart to remove (all or none)."""

    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(min_length=1, max_length=50)


class CartPromo(BaseModel):
    """A promo code to apply, or null to remove the applied one."""

    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(max_length=64, min_length=1)


class CartLineRead(BaseModel):
    """A line at today's price; ``available`` false when it can no longer be bought."""

    id: uuid.UUID
    id_product: uuid.UUID | None
    id_bundle: uuid.UUID | None
    name: str
    slug: str
    cover: str | None
    unit_price: Decimal
    qty: int
    total_price: Decimal
    discount_amount: Decimal
    available: bool
    owned: bool


class CartPromoRead(BaseModel):
    """The applied code; ``applies`` false with a ``reason`` when it no longer fits the cart."""

    code: str
    discount_type: str
    discount_value: Decimal
    applies: bool
    reason: str | None
    discount: Decimal


class CartRead(BaseModel):
    """The caller's cart; ``id`` null and no lines when there is none yet."""

    id: uuid.UUID | None
    lines: list[CartLineRead]
    promo: CartPromoRead | None
    subtotal: Decimal
    discount_total: Decimal
    total: Decimal
