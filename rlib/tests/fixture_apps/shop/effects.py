"""Endpoints exercising transactions, after-commit effects and failures."""

from __future__ import annotations

import decimal
import uuid
from datetime import UTC, datetime

from pydantic import BaseModel

from fixture_apps.shop.models import Item
from rlib import ConflictError, Ctx, ServiceUnavailableError, define_api

EFFECTS: list[str] = []


class Effect(BaseModel):
    label: str
    fail: bool = False


@define_api(name="effect_run", url="/effect/run", auth="public")
async def effect_run(ctx: Ctx, payload: Effect) -> dict[str, str]:
    """Write a row, queue an after-commit effect, then optionally fail."""
    ctx.db.add(Item(name="fx", sku=payload.label, qty=1))
    ctx.on_commit(lambda: EFFECTS.append(payload.label))
    await ctx.db.flush()
    if payload.fail:
        raise ConflictError()
    return {"label": payload.label}


@define_api(name="effect_in_steps", url="/effect/steps", auth="public")
async def effect_in_steps(ctx: Ctx, payload: Effect) -> dict[str, str]:
    """An explicit block commits the first row (a remote call would follow); the rest is the
    request's own transaction, rolled back when the handler fails."""
    async with ctx.transaction() as session:
        session.add(Item(name="fx", sku=f"{payload.label}-1", qty=1))
    ctx.db.add(Item(name="fx", sku=f"{payload.label}-2", qty=1))
    await ctx.db.flush()
    if payload.fail:
        raise ConflictError()
    return {"label": payload.label}


@define_api(name="effect_crash", url="/effect/crash", auth="public")
async def effect_crash(ctx: Ctx) -> None:
    """A bug: an unexpected exception."""
    raise RuntimeError("secret internal detail")


@define_api(name="effect_unavailable", url="/effect/unavailable", auth="public")
async def effect_unavailable(ctx: Ctx) -> None:
    """A dependency is down."""
    raise ServiceUnavailableError(retry_after=1)


@define_api(name="effect_types", url="/effect/types", methods=("GET",), auth="public")
async def effect_types(ctx: Ctx) -> dict[str, object]:
    """Values orjson must serialise."""
    return {
        "price": decimal.Decimal("12500.50"),
        "id": uuid.UUID("01900000-0000-7000-8000-000000000000"),
        "at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    }


class Echo(BaseModel):
    data: object = None


@define_api(name="effect_echo", url="/effect/echo", auth="public")
async def effect_echo(ctx: Ctx, payload: Echo) -> dict[str, object]:
    """Echo arbitrary JSON back."""
    return {"data": payload.data}


class Word(BaseModel):
    word: str


@define_api(
    name="effect_echo_path", url="/effect/echo-path/{word}", methods=("GET",), auth="public"
)
async def effect_echo_path(ctx: Ctx, payload: Word) -> dict[str, str]:
    """Echo a path parameter back."""
    return {"word": payload.word}
