"""Own bundles of an author (or their publisher): list, detail, get, search, create, update, delete.

The generic resource serves the list, the detail by id, delete (soft; ``hard`` only while no
order line holds the bundle: the database refuses it otherwise), trash and restore. Create,
update, get and search are endpoints of their own because they carry products and categories.
"""

from __future__ import annotations

from esensi.api.publish.bundle_schemas import (
    BundleCreate,
    BundleHit,
    BundleLookup,
    BundleSearch,
    BundleUpdate,
    BundleView,
)
from esensi.models.bundle import Bundle
from esensi.services import bundle_items, bundle_views, catalogue_owner, own_bundles, ownership
from rlib import Ctx, Page, define_api
from rlib.crud import crud_handler, op

EVERY_INCLUDE = ("products", "categories")

bundle = crud_handler(
    Bundle,
    {
        "name": "bundle",
        "url": "/bundle",
        "resource": "resource.bundle",
        "list": {
            "search_fields": ["name", "slug", "desc"],
            "filters": {
                "status": op.eq | op.in_,
                "real_price": op.gte | op.lte,
                "created_at": op.gte | op.lte,
            },
            "includable": ["categories", "items"],
            "order_by": ["-created_at"],
            "sortable": ["name", "real_price", "created_at", "updated_at", "status"],
            "label_field": "name",
        },
        # bundle/get is the richer lookup below (by id or slug, chosen includes)
        "get": {"include": ["categories", "items"], "operation_url": False},
        "delete": {"hard": True},
        "soft_delete": {"enabled": True},
        "sensitive": ["cfg"],
        "scope": {"field": "id_author", "value": ownership.managed_author_ids},
        "names": {"get": "bundle_detail"},
        # every read answers POST too (spec §0), also the detail at bundle/{id}
        "aliases": {"get": "/bundle/{id}"},
    },
)


@define_api(name="bundle_create", url="/bundle/create", methods=("POST",), created=True)
async def bundle_create(ctx: Ctx, payload: BundleCreate) -> BundleView:
    """A draft bundle with own published products and categories, in one transaction."""
    fields = payload.model_dump(exclude={"id_author", "items", "categories"})
    draft = own_bundles.BundleDraft(
        fields=fields,
        id_author=payload.id_author,
        items=bundle_items.as_items([(i.id_product, i.qty) for i in payload.items]),
        categories=payload.categories,
    )
    created = await own_bundles.create(ctx, draft)
    return BundleView.model_validate(await bundle_views.describe(ctx, created, EVERY_INCLUDE))


@define_api(name="bundle_update", url="/bundle/update", methods=("POST",))
async def bundle_update(ctx: Ctx, payload: BundleUpdate) -> BundleView:
    """Whitelisted columns and status, optionally replacing products and categories."""
    sent = payload.model_fields_set - {"id", "version", "items", "categories"}
    items = None
    if payload.items is not None:
        items = bundle_items.as_items([(i.id_product, i.qty) for i in payload.items])
    request = own_bundles.BundleChange(
        bundle_id=payload.id,
        version=payload.version,
        fields=payload.model_dump(include=sent),
        items=items,
        categories=payload.categories,
    )
    changed = await own_bundles.change(ctx, request)
    return BundleView.model_validate(await bundle_views.describe(ctx, changed, EVERY_INCLUDE))


@define_api(name="bundle_get", url="/bundle/get", methods=("GET", "POST"))
async def bundle_get(ctx: Ctx, payload: BundleLookup) -> BundleView:
    """Own bundle by id or slug; includes: products, categories, sales (the last ten)."""
    found = await catalogue_owner.own_bundle(ctx, payload.id, slug=payload.slug)
    return BundleView.model_validate(await bundle_views.describe(ctx, found, payload.include))


@define_api(name="bundle_search", url="/bundle/search", methods=("GET", "POST"))
async def bundle_search(ctx: Ctx, payload: BundleSearch) -> Page[BundleHit]:
    """Own bundles by text, statuses, price range, contents and ids; sort by name, price, sales."""
    query = bundle_views.BundleQuery(
        text=payload.search,
        statuses=payload.statuses,
        price_min=payload.price_min,
        price_max=payload.price_max,
        has_products=payload.has_products,
        has_categories=payload.has_categories,
        ids=payload.ids,
        sort=payload.sort,
        page=payload.page,
        limit=payload.limit,
    )
    rows, total = await bundle_views.search(ctx, query)
    items = [BundleHit.model_validate(row) for row in rows]
    return Page(items=items, page=payload.page, limit=payload.limit, total=total)
