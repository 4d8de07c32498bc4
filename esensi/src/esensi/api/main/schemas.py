"""Input and output models of the store's endpoints."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict


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
