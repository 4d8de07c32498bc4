"""The store's bundle listing: published bundles, 20 a page."""

from __future__ import annotations

from sqlalchemy import func, select

from esensi.api.main.schemas import BundleCard, PageQuery
from esensi.models.bundle import Bundle
from esensi.models.enums import BundleStatus
from rlib import Ctx, Page, define_api
from rlib.httpcache import PUBLIC_PAGE

PAGE_SIZE = 20


@define_api(
    name="bundles",
    url="/bundles/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    aliases=("/bundles",),
    cache=PUBLIC_PAGE,
    page=True,
)
async def bundles(ctx: Ctx, payload: PageQuery) -> Page[BundleCard]:
    """Published, not deleted bundles, newest first: list columns and one count."""
    visible = (Bundle.status == BundleStatus.PUBLISHED, Bundle.deleted_at.is_(None))
    total = await ctx.db.scalar(select(func.count()).select_from(Bundle).where(*visible))
    query = (
        select(
            Bundle.id,
            Bundle.name,
            Bundle.slug,
            Bundle.cover,
            Bundle.real_price,
            Bundle.strike_price,
        )
        .where(*visible)
        .order_by(Bundle.created_at.desc(), Bundle.id)
        .limit(PAGE_SIZE)
        .offset((payload.page - 1) * PAGE_SIZE)
    )
    rows = (await ctx.db.execute(query)).mappings().all()
    items = [BundleCard.model_validate(dict(row)) for row in rows]
    return Page(items=items, page=payload.page, limit=PAGE_SIZE, total=total or 0)
