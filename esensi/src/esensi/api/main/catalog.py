"""The store's catalogue pages: browse, category, search, product and bundle by slug.

Published, not deleted rows only; list columns only; every include is one statement.
"""

from __future__ import annotations

from esensi.api.main.catalog_schemas import (
    AuthorRef,
    BundlePage,
    ProductCard,
    ProductPage,
    SearchHit,
    SearchQuery,
    SlugPageQuery,
    SlugQuery,
)
from esensi.api.main.schemas import PageQuery
from esensi.models.taxonomy import Category
from esensi.services import storefront, taxonomy
from rlib import Ctx, NotFoundError, Page, define_api
from rlib.httpcache import PUBLIC_PAGE

BROWSE_SIZE = 24
PAGE_SIZE = 20


def _author(row: object) -> AuthorRef:
    values = dict(row)  # type: ignore[call-overload]  # a RowMapping
    return AuthorRef(
        id=values["author_id"], name=values["author_name"], avatar=values["author_avatar"]
    )


@define_api(
    name="browse",
    url="/browse/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    aliases=("/browse",),
    cache=PUBLIC_PAGE,
    page=True,
)
async def browse(ctx: Ctx, payload: PageQuery) -> Page[ProductCard]:
    """Published products, newest first, 24 a page."""
    listing = await storefront.browse(ctx, page=payload.page, limit=BROWSE_SIZE)
    items = [ProductCard.model_validate(dict(row)) for row in listing.rows]
    return Page(items=items, page=payload.page, limit=BROWSE_SIZE, total=listing.total)


@define_api(
    name="category",
    url="/category/{slug}/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    aliases=("/category/{slug}",),
    cache=PUBLIC_PAGE,
    page=True,
)
async def category(ctx: Ctx, payload: SlugPageQuery) -> Page[ProductCard]:
    """Published products of a category and of its sub-categories, newest first, 20 a page."""
    category_ids = await taxonomy.subtree_ids(ctx, Category, payload.slug)
    if category_ids is None:
        raise NotFoundError("resource.category")
    listing = await storefront.in_categories(ctx, category_ids, page=payload.page, limit=PAGE_SIZE)
    items = [ProductCard.model_validate(dict(row)) for row in listing.rows]
    return Page(items=items, page=payload.page, limit=PAGE_SIZE, total=listing.total)


@define_api(
    name="search",
    url="/search/{slug}/{page:int}",
    methods=("GET", "POST"),
    auth="public",
    aliases=("/search/{slug}",),
    cache=PUBLIC_PAGE,
    page=True,
)
async def search(ctx: Ctx, payload: SearchQuery) -> Page[SearchHit]:
    """Published products and bundles whose name contains the words, newest first, 20 a page."""
    listing = await storefront.search(ctx, payload.slug, page=payload.page, limit=PAGE_SIZE)
    items = [SearchHit.model_validate(dict(row)) for row in listing.rows]
    return Page(items=items, page=payload.page, limit=PAGE_SIZE, total=listing.total)


@define_api(
    name="product",
    url="/product/{slug}",
    methods=("GET", "POST"),
    auth="public",
    cache=PUBLIC_PAGE,
    page=True,
)
async def product(ctx: Ctx, payload: SlugQuery) -> ProductPage:
    """A published product with its own author, its categories and up to ten related products."""
    found = await storefront.product_detail(ctx, payload.slug)
    if found is None:
        raise NotFoundError("resource.product")
    categories = await storefront.product_categories(ctx, found["id"])
    related = await storefront.related_products(
        ctx, [row["id"] for row in categories], exclude=[found["id"]]
    )
    return ProductPage.model_validate(
        {
            **{key: found[key] for key in ProductPage.model_fields if key in found},
            "author": _author(found),
            "categories": [dict(row) for row in categories],
            "related": [dict(row) for row in related],
        }
    )


@define_api(
    name="bundle",
    url="/bundle/{slug}",
    methods=("GET", "POST"),
    auth="public",
    cache=PUBLIC_PAGE,
    page=True,
)
async def bundle(ctx: Ctx, payload: SlugQuery) -> BundlePage:
    """A published bundle with its published products, categories and up to ten related ones."""
    found = await storefront.bundle_detail(ctx, payload.slug)
    if found is None:
        raise NotFoundError("resource.bundle")
    products = await storefront.bundle_products(ctx, found["id"])
    categories = await storefront.bundle_categories(ctx, found["id"])
    related = await storefront.related_products(
        ctx, [row["id"] for row in categories], exclude=[row["id"] for row in products]
    )
    return BundlePage.model_validate(
        {
            **{key: found[key] for key in BundlePage.model_fields if key in found},
            "author": _author(found),
            "products": [dict(row) for row in products],
            "categories": [dict(row) for row in categories],
            "related": [dict(row) for row in related],
        }
    )
