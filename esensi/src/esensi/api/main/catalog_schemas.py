"""Input and output models of the store's catalogue pages and the customer's profile."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from esensi.api.main.schemas import BannerItem, BundleCard

Slug = Annotated[str, StringConstraints(min_length=1, max_length=255)]
PageNumber = Annotated[int, Field(ge=1, le=100_000)]


class SlugQuery(BaseModel):
    """A page addressed by its slug."""

    model_config = ConfigDict(extra="ignore")

    slug: Slug


class SlugPageQuery(BaseModel):
    """A slug and a page number."""

    model_config = ConfigDict(extra="ignore")

    slug: Slug
    page: PageNumber = 1


class SearchQuery(BaseModel):
    """What to look for in product and bundle names, and a page number."""

    model_config = ConfigDict(extra="ignore")

    slug: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    page: PageNumber = 1


class IndexQuery(BaseModel):
    """The home page: the latest products, optionally of one category (and its children)."""

    model_config = ConfigDict(extra="ignore")

    category: Slug | None = None
    limit: int = Field(default=12, ge=1, le=24)


class AuthorRef(BaseModel):
    """Who wrote a product or made a bundle."""

    id: uuid.UUID
    name: str
    avatar: str | None


class CategoryRef(BaseModel):
    """A category a product or bundle is filed under."""

    id: uuid.UUID
    name: str
    slug: str


class TopCategory(BaseModel):
    """A top-level category of the home page."""

    id: uuid.UUID
    name: str
    slug: str
    img: str | None


class ProductCard(BaseModel):
    """A product as lists show it."""

    id: uuid.UUID
    name: str
    slug: str
    cover: str | None
    currency: str
    real_price: Decimal
    strike_price: Decimal | None
    content_type: str
    published_date: dt.datetime | None
    author_id: uuid.UUID
    author_name: str


class BundleItem(ProductCard):
    """A product of a bundle and how many of it the bundle holds."""

    qty: int


class SearchHit(BaseModel):
    """A product or a bundle whose name matched."""

    kind: Literal["product", "bundle"]
    id: uuid.UUID
    name: str
    slug: str
    cover: str | None
    real_price: Decimal
    strike_price: Decimal | None


class ProductPage(BaseModel):
    """A product's page: the product, its own author, categories and related products."""

    id: uuid.UUID
    name: str
    slug: str
    alias: str | None
    desc: str | None
    info: dict[str, Any] | None
    img_file: list[str]
    cover: str | None
    currency: str
    real_price: Decimal
    strike_price: Decimal | None
    content_type: str
    is_chapter: bool
    is_physical: bool
    published_date: dt.datetime | None
    author: AuthorRef
    categories: list[CategoryRef]
    related: list[ProductCard]


class BundlePage(BaseModel):
    """A bundle's page: the bundle, its published products, categories and related products."""

    id: uuid.UUID
    name: str
    slug: str
    desc: str | None
    info: dict[str, Any] | None
    img_file: list[str]
    cover: str | None
    currency: str
    real_price: Decimal
    strike_price: Decimal | None
    author: AuthorRef
    products: list[BundleItem]
    categories: list[CategoryRef]
    related: list[ProductCard]


class HomePage(BaseModel):
    """The store's home page."""

    latest: list[ProductCard]
    categories: list[TopCategory]
    featured: list[ProductCard]
    banners: dict[str, list[BannerItem]]
    bundles: list[BundleCard]


class EmptyPage(BaseModel):
    """A page shell: the page carries no data of its own (its flows live in ``auth``)."""


class ProfileCounts(BaseModel):
    """How many orders (carts excluded) and library books the customer has."""

    orders: int
    library: int


class CustomerProfile(BaseModel):
    """The caller's own customer profile."""

    id: uuid.UUID
    name: str
    email: str
    whatsapp: str | None
    version: int
    created_at: dt.datetime
    counts: ProfileCounts


class ProfileEdit(BaseModel):
    """Read (no field) or change the caller's name and WhatsApp number at ``version``.

    Email changes go through auth's ``change-email``; any other field is the server's (422).
    ``whatsapp: null`` clears the number.
    """

    model_config = ConfigDict(extra="forbid")

    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
        | None
    ) = None
    whatsapp: Annotated[str, StringConstraints(pattern=r"^\+[1-9][0-9]{7,14}$")] | None = None
    version: int | None = Field(default=None, ge=1, le=2_147_483_647)

    def changes(self) -> dict[str, object]:
        """The fields the caller sent to change (``version`` aside)."""
        return {
            name: getattr(self, name)
            for name in ("name", "whatsapp")
            if name in self.model_fields_set
        }
