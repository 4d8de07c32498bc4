"""An author's (or their publisher's) own bundles: create and update with their contents.

Each request is one transaction: the bundle row, its products and its categories change
together or not at all. The owner is stamped by the server (a publisher names one of its
active authors); products must be that author's own published products.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from esensi.models.bundle import Bundle, BundleCategory
from esensi.models.enums import BundleStatus
from esensi.services import bundle_items, category_links, own_products
from esensi.services.catalogue_owner import check_version, chosen_owner, own_bundle, owner_ids
from rlib import Scope
from rlib.db.base import utcnow


@dataclass(frozen=True, slots=True)
class BundleDraft:
    """A new bundle: its columns, owner (for a publisher), products and categories."""

    fields: dict[str, Any]
    id_author: uuid.UUID | None = None
    items: dict[uuid.UUID, int] = field(default_factory=dict)
    categories: list[uuid.UUID] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class BundleChange:
    """What the owner asked to change; None for the contents means "keep them"."""

    bundle_id: uuid.UUID
    version: int | None
    fields: dict[str, Any]
    items: dict[uuid.UUID, int] | None = None
    categories: list[uuid.UUID] | None = None


async def create(scope: Scope, draft: BundleDraft) -> Bundle:
    """A draft bundle with its products and categories (the owner is the server's choice)."""
    author = chosen_owner(await owner_ids(scope), draft.id_author)
    await bundle_items.ensure_eligible(scope, author, list(draft.items))
    categories = await category_links.ensure_live(scope, draft.categories)
    bundle = Bundle(**draft.fields, id_author=author, status=BundleStatus.DRAFT)
    own_products.check_prices(bundle.real_price, bundle.strike_price)
    scope.db.add(bundle)
    await scope.db.flush()
    await bundle_items.insert_items(scope, bundle.id, draft.items)
    await category_links.add(scope, BundleCategory, "id_bundle", bundle.id, categories)
    return bundle


async def change(scope: Scope, request: BundleChange) -> Bundle:
    """Whitelisted columns, status and optionally the whole contents of an own bundle."""
    bundle = await own_bundle(scope, request.bundle_id, lock=True)
    check_version(bundle.version, request.version)
    for key, value in request.fields.items():
        setattr(bundle, key, value)
    own_products.check_prices(bundle.real_price, bundle.strike_price)
    if request.items is not None:
        await bundle_items.ensure_eligible(scope, bundle.id_author, list(request.items))
        await bundle_items.replace_items(scope, bundle.id, request.items)
    if request.categories is not None:
        wanted = await category_links.ensure_live(scope, request.categories)
        await category_links.replace(scope, BundleCategory, "id_bundle", bundle.id, wanted)
    if bundle.status == BundleStatus.PUBLISHED:
        await bundle_items.ensure_publishable(scope, bundle.id)
    await touch(scope, bundle)
    return bundle


async def touch(scope: Scope, bundle: Bundle) -> None:
    """A new version of the bundle: any change of it or of its contents."""
    bundle.version += 1
    bundle.updated_at = utcnow()
    await scope.db.flush()


async def manage_items(
    scope: Scope, bundle_id: uuid.UUID, action: str, items: dict[uuid.UUID, int]
) -> Bundle:
    """add / remove / update qty / replace the products of an own bundle (bulk statements)."""
    bundle = await own_bundle(scope, bundle_id, lock=True)
    if action in ("add", "replace"):
        await bundle_items.ensure_eligible(scope, bundle.id_author, list(items))
    if action == "add":
        await bundle_items.insert_items(scope, bundle.id, items)
    elif action == "remove":
        await bundle_items.remove_items(scope, bundle.id, list(items))
    elif action == "update":
        await bundle_items.set_quantities(scope, bundle.id, items)
    else:
        await bundle_items.replace_items(scope, bundle.id, items)
    if bundle.status == BundleStatus.PUBLISHED:
        await bundle_items.ensure_publishable(scope, bundle.id)
    await touch(scope, bundle)
    return bundle


async def manage_categories(
    scope: Scope, bundle_id: uuid.UUID, action: str, categories: list[uuid.UUID]
) -> Bundle:
    """add / remove / replace the categories of an own bundle."""
    bundle = await own_bundle(scope, bundle_id, lock=True)
    if action == "remove":
        await category_links.remove(scope, BundleCategory, "id_bundle", bundle.id, categories)
    else:
        wanted = await category_links.ensure_live(scope, categories)
        link = category_links.add if action == "add" else category_links.replace
        await link(scope, BundleCategory, "id_bundle", bundle.id, wanted)
    await touch(scope, bundle)
    return bundle
