"""An author's (or their publisher's) own products: list, detail, update, discontinue, stats.

Products are never created here (only a book's approval creates one). The generic resource
serves the list and the plain row; detail, update and delete are workflow steps of their own
because they touch categories, bundles and sales.
"""

from __future__ import annotations

from esensi.api.publish.catalogue_schemas import (
    ProductDelete,
    ProductGone,
    ProductRef,
    ProductStats,
    ProductUpdate,
    ProductView,
)
from esensi.models.product import Product
from esensi.services import catalogue_stats, own_products, ownership
from rlib import Ctx, define_api
from rlib.crud import crud_handler, op

product = crud_handler(
    Product,
    {
        "name": "product",
        "url": "/product",
        "resource": "resource.product",
        "list": {
            "where": lambda: Product.deleted_at.is_(None),
            "search_fields": ["name", "slug", "sku"],
            "filters": {
                "status": op.eq | op.in_,
                "content_type": op.eq,
                "is_chapter": op.eq,
                "real_price": op.gte | op.lte,
                "created_at": op.gte | op.lte,
            },
            "includable": ["categories"],
            "order_by": ["-created_at"],
            "sortable": ["name", "real_price", "created_at", "updated_at", "status"],
            "label_field": "name",
        },
        "get": {"include": ["categories"]},
        "delete": {"enabled": False},
        # the files a buyer downloads stay out of every generic answer
        "sensitive": ["product_file"],
        "scope": {"field": "id_author", "value": ownership.managed_author_ids},
    },
)


@define_api(name="product_detail", url="/product/detail", methods=("GET", "POST"))
async def product_detail(ctx: Ctx, payload: ProductRef) -> ProductView:
    """Own product with its categories and up to ten of the caller's bundles holding it."""
    return ProductView.model_validate(await own_products.detail(ctx, payload.id))


@define_api(name="product_update", url="/product/update", methods=("POST",))
async def product_update(ctx: Ctx, payload: ProductUpdate) -> ProductView:
    """Price, strike price, published ↔ paused, categories (``version`` guards the edit)."""
    fields = payload.model_dump(include=payload.model_fields_set - {"id", "version"})
    changed = await own_products.change(
        ctx, own_products.ProductChange(payload.id, payload.version, fields)
    )
    return ProductView.model_validate(await own_products.describe(ctx, changed))


@define_api(name="product_delete", url="/product/delete", methods=("POST",))
async def product_delete(ctx: Ctx, payload: ProductDelete) -> ProductGone:
    """Own product → discontinued; removed from lists too when it never sold."""
    gone = await own_products.discontinue(ctx, payload.id, payload.version)
    return ProductGone(
        id=gone.id, status=gone.status, version=gone.version, deleted=gone.deleted_at is not None
    )


@define_api(name="product_stats", url="/product/stats", methods=("GET", "POST"))
async def product_stats(ctx: Ctx, payload: ProductRef) -> ProductStats:
    """Readers, open carts, copies sold alone and inside bundles (SQL aggregates)."""
    return ProductStats.model_validate(await catalogue_stats.product(ctx, payload.id))
