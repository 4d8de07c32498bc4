"""Endpoints over items, each exercising one part of the runner."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict
from sqlalchemy import delete, func, select

from fixture_apps.shop.models import Item, Shelf
from rlib import Ctx, NotFoundError, Page, define_api
from rlib.limits import PageNumber, PageSize


class ItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    sku: str
    qty: int = 0
    id_shelf: uuid.UUID | None = None


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    sku: str
    qty: int


class ItemRef(BaseModel):
    id: uuid.UUID


class ItemQuery(BaseModel):
    page: PageNumber = 1
    limit: PageSize = 20


class ShelfIn(BaseModel):
    name: str


@define_api(name="item_create", url="/item/create", auth="public")
async def item_create(ctx: Ctx, payload: ItemIn) -> ItemOut:
    """Create an item."""
    item = Item(**payload.model_dump())
    ctx.db.add(item)
    await ctx.db.flush()
    return ItemOut.model_validate(item)


@define_api(name="item_list", url="/item/list", methods=("GET", "POST"), auth="public")
async def item_list(ctx: Ctx, payload: ItemQuery) -> Page[ItemOut]:
    """List items."""
    total = await ctx.db.scalar(select(func.count()).select_from(Item))
    rows = await ctx.db.scalars(
        select(Item)
        .order_by(Item.name)
        .offset((payload.page - 1) * payload.limit)
        .limit(payload.limit)
    )
    return Page(items=list(rows), page=payload.page, limit=payload.limit, total=total or 0)


@define_api(name="item_get", url="/item/{id:uuid}", methods=("GET",), auth="public")
async def item_get(ctx: Ctx, payload: ItemRef) -> ItemOut:
    """One item."""
    item = await ctx.db.get(Item, payload.id)
    if item is None:
        raise NotFoundError("Barang")
    return ItemOut.model_validate(item)


@define_api(name="item_mine", url="/item/mine", auth=("customer",))
async def item_mine(ctx: Ctx) -> list[ItemOut]:
    """Only for signed-in customers."""
    return []


@define_api(name="shelf_create", url="/shelf/create", auth="public")
async def shelf_create(ctx: Ctx, payload: ShelfIn) -> dict[str, str]:
    """Create a shelf."""
    shelf = Shelf(name=payload.name)
    ctx.db.add(shelf)
    await ctx.db.flush()
    return {"id": str(shelf.id)}


@define_api(name="shelf_delete", url="/shelf/delete", auth="public")
async def shelf_delete(ctx: Ctx, payload: ItemRef) -> dict[str, int]:
    """Hard-delete a shelf (refused while items reference it)."""
    result = await ctx.db.execute(delete(Shelf).where(Shelf.id == payload.id))
    return {"deleted": result.rowcount}  # type: ignore[attr-defined]  # CursorResult
