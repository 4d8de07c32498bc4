"""Rules staff meet when they keep products and bundles (spec/workflows.md §3.3).

Product status: ``draft → published ↔ paused → discontinued`` (discontinued is final); pausing
or discontinuing a product pauses the published bundles holding it. Only products and bundles
without sales may be deleted. A bundle holds products of its own author, and is published only
when every product it holds is published.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Exists, delete, exists, insert, select, update

from esensi.models.author import Author
from esensi.models.bundle import Bundle, BundleCategory, BundleProduct
from esensi.models.enums import BundleStatus, LinkStatus, ProductStatus, SalesStatus
from esensi.models.product import Product
from esensi.models.publisher import PublisherAuthor
from esensi.models.sales import TSales, TSalesLine
from esensi.models.taxonomy import Category
from esensi.services.notifications import send_notif
from rlib import ConflictError, FieldError, Scope, ValidationError
from rlib.db.base import utcnow

PRODUCT_MOVES: dict[str, frozenset[str]] = {
    ProductStatus.DRAFT: frozenset({ProductStatus.PUBLISHED}),
    ProductStatus.PUBLISHED: frozenset({ProductStatus.PAUSED, ProductStatus.DISCONTINUED}),
    ProductStatus.PAUSED: frozenset({ProductStatus.PUBLISHED, ProductStatus.DISCONTINUED}),
    ProductStatus.DISCONTINUED: frozenset(),
}
OFF_SALE = frozenset({ProductStatus.PAUSED, ProductStatus.DISCONTINUED})


@dataclass(frozen=True, slots=True)
class Item:
    """One product of a bundle and its quantity."""

    id_product: uuid.UUID
    qty: int


def check_product_move(current: str, target: str) -> None:
    """409 unless ``current → target`` is a product transition (staying put is allowed)."""
    if target != current and target not in PRODUCT_MOVES.get(current, frozenset()):
        raise ConflictError("product.status_invalid", current=current, target=target)


async def pause_bundles_holding(
    scope: Scope, *, product_id: uuid.UUID, product_name: str, author_id: uuid.UUID
) -> list[str]:
    """Pause every published bundle holding ``product_id`` (one statement) and tell the author
    (a bundle holds only its author's products) in one ``message`` notification."""
    holding = select(BundleProduct.id_bundle).where(BundleProduct.id_product == product_id)
    paused = await scope.db.scalars(
        update(Bundle)
        .where(Bundle.id.in_(holding), Bundle.status == BundleStatus.PUBLISHED)
        .values(status=BundleStatus.PAUSED, version=Bundle.version + 1, updated_at=utcnow())
        .returning(Bundle.name)
        .execution_options(synchronize_session=False)
    )
    names = sorted(paused)
    owner = await scope.db.scalar(select(Author.id_user).where(Author.id == author_id))
    if names and owner is not None:
        message = f"Bundel dijeda karena produk {product_name} tidak dijual: {', '.join(names)}"
        await send_notif(scope, owner, {"notif": {"type": "message", "message": message[:1000]}})
    return names


def _sold(line: ColumnElement[bool]) -> Exists:
    # A line of a cart is no sale; every other order state is (it was, or may yet be, paid).
    return exists().where(TSales.id == TSalesLine.id_sales, TSales.status != SalesStatus.CART, line)


async def has_sales(
    scope: Scope, *, product_id: uuid.UUID | None = None, bundle_id: uuid.UUID | None = None
) -> bool:
    """True when an order (not a cart) holds the product or the bundle."""
    column = TSalesLine.id_product if product_id is not None else TSalesLine.id_bundle
    key = product_id if product_id is not None else bundle_id
    return bool(await scope.db.scalar(select(_sold(column == key))))


async def ensure_author(scope: Scope, author_id: uuid.UUID) -> None:
    """422 on ``id_author`` unless the author exists."""
    if await scope.db.scalar(select(Author.id).where(Author.id == author_id)) is None:
        raise ValidationError([FieldError(loc=("body", "id_author"), key="error.db_foreign_key")])


async def ensure_publisher_of(scope: Scope, publisher_id: uuid.UUID, author_id: uuid.UUID) -> None:
    """422 on ``id_publisher`` unless the publisher has an active link with the author (the
    publisher then owns the product's sales in the ledger)."""
    linked = await scope.db.scalar(
        select(PublisherAuthor.id).where(
            PublisherAuthor.publisher_id == publisher_id,
            PublisherAuthor.author_id == author_id,
            PublisherAuthor.status == LinkStatus.ACTIVE,
        )
    )
    if linked is None:
        raise ValidationError(
            [FieldError(loc=("body", "id_publisher"), key="product.publisher_not_linked")]
        )


async def check_items(
    scope: Scope, author_id: uuid.UUID, items: Sequence[Item], *, publishing: bool
) -> None:
    """Every product exists, is live, belongs to ``author_id`` (and is published when the bundle
    is); the same product twice is refused. One query for the whole list."""
    ids = [item.id_product for item in items]
    if len(set(ids)) != len(ids):
        raise ValidationError([FieldError(loc=("body", "products"), key="bundle.duplicate")])
    rows = await scope.db.execute(
        select(Product.id, Product.id_author, Product.status).where(
            Product.id.in_(ids), Product.deleted_at.is_(None)
        )
    )
    found = {row.id: row for row in rows}
    for index, item in enumerate(items):
        row = found.get(item.id_product)
        loc = ("body", "products", index, "id_product")
        if row is None or row.id_author != author_id:
            raise ValidationError([FieldError(loc=loc, key="bundle.foreign_product")])
        if publishing and row.status != ProductStatus.PUBLISHED:
            raise ValidationError([FieldError(loc=loc, key="bundle.unpublished_product")])


async def check_categories(scope: Scope, category_ids: Sequence[uuid.UUID]) -> None:
    """Every category exists and is live (one query)."""
    wanted = set(category_ids)
    live = await scope.db.scalars(
        select(Category.id).where(Category.id.in_(wanted), Category.deleted_at.is_(None))
    )
    if set(live) != wanted:
        raise ValidationError([FieldError(loc=("body", "categories"), key="error.db_foreign_key")])


async def bundle_items(scope: Scope, bundle_id: uuid.UUID) -> list[Item]:
    """The products a bundle holds."""
    rows = await scope.db.execute(
        select(BundleProduct.id_product, BundleProduct.qty)
        .where(BundleProduct.id_bundle == bundle_id)
        .order_by(BundleProduct.created_at, BundleProduct.id)
    )
    return [Item(row.id_product, row.qty) for row in rows]


async def bundle_categories(scope: Scope, bundle_id: uuid.UUID) -> list[uuid.UUID]:
    """The category ids of a bundle."""
    rows = await scope.db.scalars(
        select(BundleCategory.id_category)
        .where(BundleCategory.id_bundle == bundle_id)
        .order_by(BundleCategory.id_category)
    )
    return list(rows)


async def replace_items(scope: Scope, bundle_id: uuid.UUID, items: Sequence[Item]) -> None:
    """The bundle holds exactly ``items`` (two statements, whatever the count)."""
    await scope.db.execute(delete(BundleProduct).where(BundleProduct.id_bundle == bundle_id))
    if items:
        await scope.db.execute(
            insert(BundleProduct),
            [
                {
                    "id": uuid.uuid4(),
                    "id_bundle": bundle_id,
                    "id_product": i.id_product,
                    "qty": i.qty,
                }
                for i in items
            ],
        )


async def replace_categories(
    scope: Scope, bundle_id: uuid.UUID, category_ids: Sequence[uuid.UUID]
) -> None:
    """The bundle is in exactly ``category_ids`` (two statements, whatever the count)."""
    await scope.db.execute(delete(BundleCategory).where(BundleCategory.id_bundle == bundle_id))
    unique = list(dict.fromkeys(category_ids))
    if unique:
        await scope.db.execute(
            insert(BundleCategory),
            [{"id_bundle": bundle_id, "id_category": category} for category in unique],
        )
