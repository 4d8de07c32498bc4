"""Input and output models of the back office's catalogue and content: products, bundles,
banners, landing pages and their items, review moderation."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from esensi.models.enums import BannerStatus, BundleStatus, ContentType, LandingStatus

Slug = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
FilePath = Annotated[str, StringConstraints(min_length=1, max_length=512)]
Files = Annotated[list[FilePath], Field(max_length=20)]
Text = Annotated[str, StringConstraints(max_length=65535)]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{3,8}$")]
ProductStatusName = Literal["draft", "published", "paused", "discontinued"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProductUpdate(_Strict):
    """What staff change on a product; the owner (author, publisher) stays as created."""

    name: str = Field(min_length=1, max_length=255)
    slug: Slug
    alias: str | None = Field(default=None, max_length=255)
    desc: Text | None = None
    info: dict[str, object] | None = None
    img_file: Files = Field(default_factory=list)
    cover: FilePath | None = None
    product_file: Files = Field(default_factory=list)
    sku: str | None = Field(default=None, min_length=1, max_length=64)
    content_type: ContentType = ContentType.EBOOK
    is_chapter: bool = False
    is_physical: bool = False
    preorder_min_qty: int | None = Field(default=None, ge=0, le=1_000_000)
    real_price: Money
    strike_price: Money | None = None
    status: ProductStatusName = "draft"


class ProductCreate(ProductUpdate):
    """A product for an author (and optionally the publisher that owns its sales)."""

    id_author: uuid.UUID
    id_publisher: uuid.UUID | None = None
    status: Literal["draft", "published"] = "draft"


class BundleItem(_Strict):
    """One product of a bundle and how many of it."""

    id_product: uuid.UUID
    qty: int = Field(default=1, ge=1, le=100)


class BundleFields(_Strict):
    """The bundle's own columns."""

    name: str = Field(min_length=1, max_length=255)
    slug: Slug
    desc: Text | None = None
    info: dict[str, object] | None = None
    img_file: Files = Field(default_factory=list)
    cover: FilePath | None = None
    sku: str | None = Field(default=None, min_length=1, max_length=64)
    real_price: Money
    strike_price: Money | None = None
    cfg: dict[str, object] | None = None
    status: BundleStatus = BundleStatus.DRAFT


class BundleCreate(BundleFields):
    """A bundle of one author's products, with its categories."""

    id_author: uuid.UUID
    products: list[BundleItem] = Field(default_factory=list, max_length=100)
    categories: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class BundleUpdate(_Strict):
    """A partial update; ``products`` and ``categories``, when given, replace the sets."""

    id: uuid.UUID
    version: int | None = Field(default=None, ge=1, le=2_147_483_647)
    name: str | None = Field(default=None, min_length=1, max_length=255)
    slug: Slug | None = None
    desc: Text | None = None
    info: dict[str, object] | None = None
    img_file: Files | None = None
    cover: FilePath | None = None
    sku: str | None = Field(default=None, min_length=1, max_length=64)
    real_price: Money | None = None
    strike_price: Money | None = None
    cfg: dict[str, object] | None = None
    status: BundleStatus | None = None
    products: list[BundleItem] | None = Field(default=None, max_length=100)
    categories: list[uuid.UUID] | None = Field(default=None, max_length=50)


class BannerCreate(_Strict):
    """A banner of a store slot (``title`` is the slot key, e.g. ``banner-default``)."""

    title: str = Field(min_length=1, max_length=128)
    banner_file: Files = Field(default_factory=list)
    link: str | None = Field(default=None, max_length=512)
    idx: int = Field(default=0, ge=0, le=100_000)
    status: BannerStatus = BannerStatus.ACTIVE


class LandingCreate(_Strict):
    """A landing page; its items are kept at ``landing/items``."""

    slug: Slug
    title: str = Field(min_length=1, max_length=255)
    status: LandingStatus = LandingStatus.DRAFT


class LandingItemUpdate(_Strict):
    """One block of a landing page."""

    img_file: Files = Field(default_factory=list)
    tag: str | None = Field(default=None, max_length=64)
    link_to: str | None = Field(default=None, max_length=512)
    idx: int = Field(default=0, ge=0, le=100_000)
    color: Color | None = None


class LandingItemCreate(LandingItemUpdate):
    """A block for the landing page ``id_landing``."""

    id_landing: uuid.UUID
