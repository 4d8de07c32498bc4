"""The contents and figures of an own bundle: its products, its categories, its sales."""

from __future__ import annotations

from esensi.api.publish.bundle_schemas import (
    BundleCategoryManage,
    BundleProductManage,
    BundleStats,
    BundleStatsQuery,
    BundleView,
)
from esensi.services import bundle_items, bundle_views, catalogue_stats, own_bundles
from rlib import Ctx, define_api


@define_api(name="bundle_product_manage", url="/bundle/product/manage", methods=("POST",))
async def bundle_product_manage(ctx: Ctx, payload: BundleProductManage) -> BundleView:
    """Add, remove, change the qty of or replace products of an own bundle (no per-row loop)."""
    items = bundle_items.as_items([(i.id_product, i.qty) for i in payload.items])
    changed = await own_bundles.manage_items(ctx, payload.id, payload.action, items)
    return BundleView.model_validate(await bundle_views.describe(ctx, changed, ("products",)))


@define_api(name="bundle_category_manage", url="/bundle/category/manage", methods=("POST",))
async def bundle_category_manage(ctx: Ctx, payload: BundleCategoryManage) -> BundleView:
    """Add, remove or replace the categories of an own bundle."""
    changed = await own_bundles.manage_categories(
        ctx, payload.id, payload.action, payload.categories
    )
    return BundleView.model_validate(await bundle_views.describe(ctx, changed, ("categories",)))


@define_api(name="bundle_stats", url="/bundle/stats", methods=("GET", "POST"))
async def bundle_stats(ctx: Ctx, payload: BundleStatsQuery) -> BundleStats:
    """Per own bundle: copies, revenue and buyers of paid orders in a period; counts by status."""
    figures = await catalogue_stats.bundles(
        ctx, since=payload.since, until=payload.until, bundle_ids=payload.ids
    )
    return BundleStats.model_validate(figures)
