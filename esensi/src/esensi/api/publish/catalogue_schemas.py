"""Input and output models of the portal's products and bundles."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from esensi.api.publish.schemas import Money

T = TypeVar("T")
Version = Annotated[int, Field(ge=1, le=2_147_483_647)]
CategoryIds = Annotated[list[uuid.UUID], Field(max_length=20)]


def not_null(value: T | None) -> T:
    """A partial update may leave a required field out, never send it as null (422 on it)."""
    if value is None:
        raise PydanticCustomError("missing", "Field required")
    return value


class CategoryRef(BaseModel):
    """A store category linked to a product or bundle."""

    id: uuid.UUID
    name: str
    slug: str


class ProductBundle(BaseModel):
    """One of the caller's bundles that holds the product."""

    id: uuid.UUID
    name: str
    slug: str
    status: str
    qty: int


class ProductView(BaseModel):
    """An own product with its categories and up to ten of the caller's bundles holding it."""

    id: uuid.UUID
    name: str
    slug: str
    alias: str | None
    desc: str | None
    info: dict[str, object] | None
    currency: str
    img_file: list[str]
    cover: str | None
    sku: str | None
    id_author: uuid.UUID
    id_publisher: uuid.UUID | None
    published_date: dt.datetime | None
    content_type: str
    is_chapter: bool
    real_price: Decimal
    strike_price: Decimal | None
    status: str
    version: int
    deleted_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    categories: list[CategoryRef]
    bundles: list[ProductBundle]


class ProductRef(BaseModel):
    """One own product by id."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID


class ProductUpdate(BaseModel):
    """What the owner may change on a product; anything else in the body is refused."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    version: Version | None = None
    real_price: Money | None = None
    strike_price: Money | None = None
    status: Literal["published", "paused"] | None = None
    categories: CategoryIds | None = None

    _required_stay_set = field_validator("real_price", "status", "categories")(not_null)


class ProductDelete(BaseModel):
    """Discontinue an own product (the version the editor read, optionally)."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    version: Version | None = None


class ProductGone(BaseModel):
    """The discontinued product; ``deleted`` when it never sold and was removed from lists."""

    id: uuid.UUID
    status: str
    version: int
    deleted: bool


class ProductStats(BaseModel):
    """Readers, open carts holding it, copies sold alone and inside bundles."""

    reads: int
    in_carts: int
    sold_alone: int
    sold_in_bundles: int
