"""Pydantic models shared by F, P and O: the read shapes and the create body."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bench import contract


class AuthorRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class ProductRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    author_id: int
    name: str
    description: str
    price: Decimal
    category: str
    status: str
    published_at: dt.datetime


class ProductWithAuthor(ProductRead):
    author: AuthorRead | None


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=contract.NAME_MAX)]
    description: Annotated[str, Field(max_length=contract.DESCRIPTION_MAX)] = ""
    price: Annotated[Decimal, Field(ge=contract.PRICE_MIN, le=contract.PRICE_MAX, decimal_places=2)]
    category: str
    status: Literal["draft", "published"]
    author_id: Annotated[int, Field(ge=1, strict=True)]

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in contract.CATEGORY_SET:
            raise ValueError("unknown category")
        return value
