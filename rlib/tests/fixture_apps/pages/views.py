"""A public page with a cache policy, one without, and protected ones."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fixture_apps.shop.models import Shelf
from rlib import Ctx, NotFoundError, define_api
from rlib.httpcache import HttpCache

# What the page shows; a test changes it to see the ETag change.
TITLES = {"laut": "Laut Bercerita"}


class SlugIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    slug: str


class TitleOut(BaseModel):
    slug: str
    title: str
    signed_in: bool


@define_api(
    name="title",
    url="/title/{slug}",
    methods=("GET", "POST"),
    auth="public",
    cache=HttpCache(max_age=5, shared_max_age=60),
    page=True,
)
async def title(ctx: Ctx, payload: SlugIn) -> TitleOut:
    """A public page, cached and served in the page shell to browsers."""
    if payload.slug not in TITLES:
        raise NotFoundError()
    return TitleOut(slug=payload.slug, title=TITLES[payload.slug], signed_in=ctx.user is not None)


@define_api(
    name="shelf",
    url="/shelf",
    methods=("GET",),
    auth="public",
    cache=HttpCache(shared_max_age=30, per_caller=True),
)
async def shelf(ctx: Ctx) -> dict[str, str]:
    """A cached public answer that differs per caller (not a page: always JSON)."""
    return {"who": str(ctx.user.id) if ctx.user else "anonymous"}


@define_api(name="plain", url="/plain", methods=("GET",), auth="public")
async def plain(ctx: Ctx) -> dict[str, str]:
    """No cache policy, not a page."""
    return {"ok": "yes"}


@define_api(name="mine", url="/mine", methods=("GET",), page=True, cache=HttpCache())
async def mine(ctx: Ctx) -> dict[str, str]:
    """A protected page: the authenticator's no-store wins over the policy."""
    ctx.response_headers["Cache-Control"] = "no-store"
    return {"ok": "mine"}


@define_api(name="mine_clash", url="/mine/clash", methods=("POST",))
async def mine_clash(ctx: Ctx) -> dict[str, str]:
    """A protected write breaking a unique constraint: its 409 keeps the no-store."""
    ctx.response_headers["Cache-Control"] = "no-store"
    ctx.db.add_all([Shelf(name="sama"), Shelf(name="sama")])
    await ctx.db.flush()
    return {"ok": "never"}
