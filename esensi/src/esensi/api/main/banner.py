"""Banners for a slot of the store (``banner-<for>``), active and ordered by ``idx``."""

from __future__ import annotations

from sqlalchemy import select

from esensi.api.main.schemas import BannerInput, BannerItem, BannerList
from esensi.models.cms import Banner
from esensi.models.enums import BannerStatus
from rlib import Ctx, define_api
from rlib.httpcache import PUBLIC_PAGE


@define_api(
    name="banner", url="/api/banner", methods=("GET", "POST"), auth="public", cache=PUBLIC_PAGE
)
async def banner(ctx: Ctx, payload: BannerInput) -> BannerList:
    """Active, not deleted banners titled ``banner-<for>``; only the first unless ``multiple``."""
    query = (
        select(Banner.id, Banner.title, Banner.banner_file, Banner.link, Banner.idx)
        .where(
            Banner.title == f"banner-{payload.slot}",
            Banner.status == BannerStatus.ACTIVE,
            Banner.deleted_at.is_(None),
        )
        .order_by(Banner.idx, Banner.id)
        .limit(None if payload.multiple else 1)
    )
    rows = (await ctx.db.execute(query)).mappings().all()
    return BannerList(banners=[BannerItem.model_validate(dict(row)) for row in rows])
