"""Bundles in the back office (spec/endpoints.md §5; original defect D-FN-04: the original's
create and update wrote columns that did not exist and always failed).

Any staff read them (``bundle_list``, ``bundle_get``, ``bundle_detail``); sales and marketing
and management create, change and delete them. Create and update take the bundle's products
and categories with it, so they are workflow endpoints over the same table: the products must
be the author's own (and published when the bundle is), the sets are replaced set-based, and
the audit row is written in the same transaction. Delete is soft; ``hard`` removes a bundle
that was never sold (an order line refers to it otherwise: 409 naming ``t_sales_line``).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from esensi.api.internal.audited import audited, record
from esensi.api.internal.catalog_schemas import BundleCreate, BundleUpdate
from esensi.models.bundle import Bundle
from esensi.models.enums import BundleStatus
from esensi.services import merchandise
from rlib import Ctx, FieldError, NotFoundError, ValidationError, define_api
from rlib.crud import crud_handler, op
from rlib.db.base import utcnow
from rlib.errors import StaleVersionError

MERCHANTS = ("internal:sales_and_marketing", "internal:management")  # spec/endpoints.md §5
ANY_STAFF = "internal"
SETS = ("products", "categories")

bundle = crud_handler(
    Bundle,
    audited(
        "bundle",
        {
            "name": "bundle",
            "url": "/bundle",
            "resource": "resource.bundle",
            "auth": MERCHANTS,
            "action_auth": {"list": ANY_STAFF, "get": ANY_STAFF},
            "list": {
                "search_fields": ["name", "desc", "sku"],
                "filters": {"status": op.eq | op.in_, "id_author": op.eq | op.in_},
                "include": {"author": ["id", "name"]},
                "order_by": ["-created_at"],
                "sortable": ["name", "created_at", "real_price", "updated_at"],
                "label_field": "name",
            },
            "get": {
                "include": {
                    "author": ["id", "name"],
                    "items": ["id", "id_product", "qty"],
                    "categories": ["id", "name", "slug"],
                }
            },
            "delete": {"hard": True},
            "soft_delete": {"enabled": True},
        },
    ),
)


def _items(raw: list[Any]) -> list[merchandise.Item]:
    return [merchandise.Item(item.id_product, item.qty) for item in raw]


async def _check_publishable(ctx: Ctx, author: uuid.UUID, items: list[merchandise.Item]) -> None:
    if not items:
        raise ValidationError([FieldError(loc=("body", "products"), key="bundle.empty")])
    await merchandise.check_items(ctx, author, items, publishing=True)


@define_api(name="bundle_create", url="/bundle/create", auth=MERCHANTS, created=True)
async def bundle_create(ctx: Ctx, payload: BundleCreate) -> dict[str, Any]:
    """A bundle of one author's products, with its categories, in one transaction."""
    await merchandise.ensure_author(ctx, payload.id_author)
    items = _items(payload.products)
    if payload.status == BundleStatus.PUBLISHED:
        await _check_publishable(ctx, payload.id_author, items)
    else:
        await merchandise.check_items(ctx, payload.id_author, items, publishing=False)
    await merchandise.check_categories(ctx, payload.categories)
    row = Bundle(**payload.model_dump(exclude=set(SETS)))
    ctx.db.add(row)
    await ctx.db.flush()
    await merchandise.replace_items(ctx, row.id, items)
    await merchandise.replace_categories(ctx, row.id, payload.categories)
    created = await bundle.get(ctx, row.id)
    await record(ctx, action="bundle.create", entity="bundle", entity_id=row.id, after=created)
    return created


async def _locked(ctx: Ctx, bundle_id: uuid.UUID, version: int | None) -> Bundle:
    found = await ctx.db.scalar(
        select(Bundle).where(Bundle.id == bundle_id, Bundle.deleted_at.is_(None)).with_for_update()
    )
    if found is None:
        raise NotFoundError("resource.bundle")
    if version is not None and found.version != version:
        raise StaleVersionError()
    return found


@define_api(name="bundle_update", url="/bundle/update", auth=MERCHANTS)
async def bundle_update(ctx: Ctx, payload: BundleUpdate) -> dict[str, Any]:
    """Change a bundle's fields; ``products`` / ``categories``, when given, replace the sets."""
    row = await _locked(ctx, payload.id, payload.version)
    given = payload.model_dump(exclude_unset=True, exclude={"id", "version", *SETS})
    for key in ("name", "slug", "real_price", "status"):
        if key in given and given[key] is None:  # not nullable: absent, never null
            raise ValidationError([FieldError(loc=("body", key), key="v.missing")])
    items = _items(payload.products) if payload.products is not None else None
    status = given.get("status", row.status)
    if items is not None:
        await merchandise.check_items(ctx, row.id_author, items, publishing=False)
    if status == BundleStatus.PUBLISHED and (items is not None or row.status != status):
        held = items if items is not None else await merchandise.bundle_items(ctx, row.id)
        await _check_publishable(ctx, row.id_author, held)
    if payload.categories is not None:
        await merchandise.check_categories(ctx, payload.categories)
    before = await bundle.get(ctx, row.id)
    await _apply(ctx, row, given)
    if items is not None:
        await merchandise.replace_items(ctx, row.id, items)
    if payload.categories is not None:
        await merchandise.replace_categories(ctx, row.id, payload.categories)
    after = await bundle.get(ctx, row.id)
    changed = [*given, *(key for key in SETS if getattr(payload, key) is not None)]
    await record(
        ctx,
        action="bundle.update",
        entity="bundle",
        entity_id=row.id,
        before={key: before.get(key) for key in _audited(changed)},
        after={key: after.get(key) for key in _audited(changed)},
    )
    return after


def _audited(changed: list[str]) -> list[str]:
    # The read shape names the product set ``items``.
    return ["items" if key == "products" else key for key in changed]


async def _apply(ctx: Ctx, row: Bundle, given: dict[str, Any]) -> None:
    # A slug or SKU of another live bundle fails the flush: the runner answers 409.
    for key, value in given.items():
        setattr(row, key, value)
    row.version += 1
    row.updated_at = utcnow()
    await ctx.db.flush()
