"""The store's home page and the page shells whose flows live in ``auth``."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from esensi.api.main.catalog_schemas import EmptyPage, HomePage, IndexQuery
from esensi.api.main.schemas import BannerItem, NoInput
from esensi.models.cms import Banner
from esensi.models.enums import BannerStatus
from esensi.models.taxonomy import Category
from esensi.services import config, storefront, taxonomy
from rlib import Ctx, Endpoint, NotFoundError, define_api
from rlib.httpcache import PUBLIC_PAGE

HOME_BANNERS = ("banner-default", "bundle-square")
HOME_BUNDLES = 4
FEATURED_MAX = 10
FEATURED_KEY = "featured"  # public cfg: a JSON list of product slugs, in display order


def _subtree(roots: Iterable[taxonomy.Node], slug: str) -> list[taxonomy.Node] | None:
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node.slug == slug:
            found, below = [], [node]
            while below:
                current = below.pop()
                found.append(current)
                below.extend(current.children)
            return found
        stack.extend(node.children)
    return None


async def _featured_slugs(ctx: Ctx) -> list[str]:
    value = await config.public_value(ctx, FEATURED_KEY)
    content = value.content if value else None
    if not isinstance(content, list):
        return []
    return [slug for slug in content if isinstance(slug, str)][:FEATURED_MAX]


async def _banners(ctx: Ctx) -> dict[str, list[BannerItem]]:
    rows = await ctx.db.execute(
        select(Banner.id, Banner.title, Banner.banner_file, Banner.link, Banner.idx)
        .where(
            Banner.title.in_(HOME_BANNERS),
            Banner.status == BannerStatus.ACTIVE,
            Banner.deleted_at.is_(None),
        )
        .order_by(Banner.idx, Banner.id)
    )
    slots: dict[str, list[BannerItem]] = {slot: [] for slot in HOME_BANNERS}
    for row in rows.mappings():
        slots[row["title"]].append(BannerItem.model_validate(dict(row)))
    return slots


@define_api(
    name="index", url="/", methods=("GET", "POST"), auth="public", cache=PUBLIC_PAGE, page=True
)
async def index(ctx: Ctx, payload: IndexQuery) -> HomePage:
    """Latest products (of a category when asked), top categories, featured, banners, bundles."""
    roots = await taxonomy.tree(ctx, Category, depth=100)
    category_ids = None
    if payload.category is not None:
        nodes = _subtree(roots, payload.category)
        if nodes is None:
            raise NotFoundError("resource.category")
        category_ids = [node.id for node in nodes]
    latest = await storefront.latest(ctx, limit=payload.limit, category_ids=category_ids)
    featured = await storefront.by_slugs(ctx, await _featured_slugs(ctx))
    return HomePage.model_validate(
        {
            "latest": [dict(row) for row in latest],
            "categories": [
                {"id": node.id, "name": node.name, "slug": node.slug, "img": node.img}
                for node in roots
            ],
            "featured": [dict(row) for row in featured],
            "banners": await _banners(ctx),
            "bundles": [
                dict(row) for row in await storefront.recent_bundles(ctx, limit=HOME_BUNDLES)
            ],
        }
    )


def _shell(name: str, url: str) -> Endpoint:
    async def shell(ctx: Ctx, payload: NoInput) -> EmptyPage:
        return EmptyPage()

    shell.__doc__ = f"The {name} page shell: no data (its flows are under /api/auth)."
    return define_api(
        name=name,
        url=url,
        methods=("GET", "POST"),
        auth="public",
        handler=shell,
        cache=PUBLIC_PAGE,
        page=True,
    )


login, otp, resetpass = (_shell(name, f"/{name}") for name in ("login", "otp", "resetpass"))
