"""Input and output models of the portal's bundles."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from esensi.api.publish.catalogue_schemas import CategoryIds, CategoryRef, Version, not_null
from esensi.api.publish.schemas import Money, Slug
from rlib.limits import PageNumber, PageSize

Include = Literal["products", "categories", "sales"]
Status = Literal["draft", "published", "paused"]


class BundleItem(BaseModel):
    """One product in a bundle and how many copies it counts for."""

    model_config = ConfigDict(extra="forbid")

    id_product: uuid.UUID
    qty: int = Field(default=1, ge=1, le=100)


Items = Annotated[list[BundleItem], Field(max_length=100)]


class BundleFields(BaseModel):
    """The columns an owner writes (never status, owner, version, timestamps)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=255)
    slug: Slug
    real_price: Money
    strike_price: Money | None = None
    desc: str | None = Field(default=None, max_length=65535)
    info: dict[str, object] | None = None
    img_file: list[Annotated[str, StringConstraints(max_length=512)]] = Field(
        default_factory=list, max_length=20
    )
    cover: str | None = Field(default=None, max_length=512)
    sku: str | None = Field(default=None, max_length=64)


class BundleCreate(BundleFields):
    """A new draft bundle with its products and categories (a publisher names the author)."""

    id_author: uuid.UUID | None = None
    items: Items = Field(default_factory=list)
    categories: CategoryIds = Field(default_factory=list)


class BundleUpdate(BaseModel):
    """Changed columns, status, and optionally the whole product and category lists."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    version: Version | None = None
    name: str | None = Field(default=None, min_length=1, max_length=255)
    slug: Slug | None = None
    real_price: Money | None = None
    strike_price: Money | None = None
    desc: str | None = Field(default=None, max_length=65535)
    info: dict[str, object] | None = None
    img_file: list[Annotated[str, StringConstraints(max_length=512)]] | None = Field(
        default=None, max_length=20
    )
    cover: str | None = Field(default=None, max_length=512)
    sku: str | None = Field(default=None, max_length=64)
    status: Status | None = None
    items: Items | None = None
    categories: CategoryIds | None = None

    _required_stay_set = field_validator("name", "slug", "real_price", "img_file", "status")(
        not_null
    )


class BundleLookup(BaseModel):
    """An own bundle by id or by slug, with the includes asked for."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID | None = None
    slug: Slug | None = None
    include: Annotated[list[Include], Field(max_length=3)] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_key(self) -> BundleLookup:
        if (self.id is None) == (self.slug is None):
            raise ValueError("give either id or slug")
        return self


class BundleProductRef(BaseModel):
    """A product inside the bundle."""

    id: uuid.UUID
    name: str
    slug: str
    status: str
    real_price: Decimal
    qty: int


class BundleSale(BaseModel):
    """A paid order line of the bundle (nothing about the buyer)."""

    id_sales: uuid.UUID
    qty: int
    unit_price: Decimal
    total_price: Decimal
    paid_at: dt.datetime | None


class BundleRow(BaseModel):
    """The columns of an own bundle."""

    id: uuid.UUID
    name: str
    slug: str
    real_price: Decimal
    strike_price: Decimal | None
    currency: str
    desc: str | None
    info: dict[str, object] | None
    img_file: list[str]
    cover: str | None
    sku: str | None
    id_author: uuid.UUID
    status: str
    version: int
    deleted_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class BundleView(BundleRow):
    """An own bundle; each include is null unless asked for."""

    products: list[BundleProductRef] | None
    categories: list[CategoryRef] | None
    sales: list[BundleSale] | None


class BundleHit(BundleRow):
    """A search result with the copies sold in paid orders."""

    sales: int


class BundleSearch(BaseModel):
    """Rich search over own bundles; every criterion optional."""

    model_config = ConfigDict(extra="forbid")

    search: str | None = Field(default=None, max_length=200)
    statuses: Annotated[list[Status], Field(max_length=3)] | None = None
    price_min: Money | None = None
    price_max: Money | None = None
    has_products: bool | None = None
    has_categories: bool | None = None
    ids: Annotated[list[uuid.UUID], Field(max_length=100)] | None = None
    sort: Literal[
        "name", "-name", "price", "-price", "sales", "-sales", "created_at", "-created_at"
    ] = "-created_at"
    page: PageNumber = 1
    limit: PageSize = 20


class BundleProductManage(BaseModel):
    """One action on the products of an own bundle (``remove`` reads only ``id_product``)."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    action: Literal["add", "remove", "update", "replace"]
    items: Items


class BundleCategoryManage(BaseModel):
    """One action on the categories of an own bundle."""

    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    action: Literal["add", "remove", "replace"]
    categories: CategoryIds


class BundleStatsQuery(BaseModel):
    """Paid orders in ``[from, to)`` (by payment time), optionally only some own bundles."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    since: AwareDatetime | None = Field(default=None, alias="from")
    until: AwareDatetime | None = Field(default=None, alias="to")
    ids: Annotated[list[uuid.UUID], Field(max_length=100)] | None = None


class BundleFigures(BaseModel):
    """One own bundle's copies sold, revenue after discounts and distinct buyers."""

    id: uuid.UUID
    name: str
    status: str
    qty: int
    revenue: Decimal
    customers: int


class BundleStats(BaseModel):
    """Per bundle figures and the number of own bundles by status."""

    bundles: list[BundleFigures]
    by_status: dict[str, int]
