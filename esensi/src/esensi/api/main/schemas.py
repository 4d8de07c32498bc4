"""Input and output models of the store's endpoints."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class NoInput(BaseModel):
    """Pages take no parameters; unknown ones are ignored as the original did."""

    model_config = ConfigDict(extra="ignore")


class CategoryNode(BaseModel):
    """A category in the store's menu, with its children."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    slug: str
    img: str | None
    children: list[CategoryNode]


class HeaderData(BaseModel):
    """What the store's header shows."""

    logo: str | None
    search_placeholder: str
    categories: list[CategoryNode]


class PageContent(BaseModel):
    """A staff-editable page from cfg ``page.<name>``: text, or a list/object (the FAQ)."""

    key: str
    content: object


class BannerInput(BaseModel):
    """The slot (``for``: ``default`` → ``banner-default``) and whether to return every banner."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    slot: str = Field(default="default", alias="for", min_length=1, max_length=100)
    multiple: bool = True


class BannerItem(BaseModel):
    """One banner as the store shows it."""

    id: uuid.UUID
    title: str
    banner_file: list[str]
    link: str | None
    idx: int


class BannerList(BaseModel):
    """The banners of one slot, in display order."""

    banners: list[BannerItem]


class PageQuery(BaseModel):
    """A page number of a listing."""

    model_config = ConfigDict(extra="ignore")

    page: int = Field(default=1, ge=1, le=100_000)


class BundleCard(BaseModel):
    """A bundle as lists show it."""

    id: uuid.UUID
    name: str
    slug: str
    cover: str | None
    real_price: Decimal
    strike_price: Decimal | None
