"""The products inside a bundle: which may go in, and the bulk statements that change them.

A bundle holds only live, published products of its own author. Every change is a fixed
number of statements whatever the number of items (no per-row loop).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table, case, delete, func, insert, select, update

from esensi.models.bundle import BundleProduct
from esensi.models.enums import ProductStatus
from esensi.models.product import Product
from rlib import ConflictError, FieldError, Scope, ValidationError

Items = Mapping[uuid.UUID, int]  # product id -> qty
# Core statements on the table (bulk, no ORM identity map); a mapped class's table is a Table.
ITEMS = cast(Table, BundleProduct.__table__)


class BundleNotPublishableError(ConflictError):
    """409: a published bundle holds at least one product, and only published ones."""

    code = "bundle_not_publishable"
    key = "bundle.not_publishable"


def as_items(pairs: Sequence[tuple[uuid.UUID, int]]) -> dict[uuid.UUID, int]:
    """Product id -> qty; a product named twice is a 422 on ``items``."""
    found = dict(pairs)
    if len(found) != len(pairs):
        raise ValidationError([FieldError(loc=("body", "items"), key="bundle.duplicate")])
    return found


async def ensure_eligible(
    scope: Scope, author_id: uuid.UUID, product_ids: Sequence[uuid.UUID]
) -> None:
    """422 on ``items`` unless every product is a live, published product of ``author_id``.

    Missing, foreign and unpublished products get the same answer, so nothing is revealed.
    """
    if not product_ids:
        return
    found = await scope.db.scalar(
        select(func.count())
        .select_from(Product)
        .where(
            Product.id.in_(list(product_ids)),
            Product.id_author == author_id,
            Product.status == ProductStatus.PUBLISHED,
            Product.deleted_at.is_(None),
        )
    )
    if found != len(product_ids):
        raise ValidationError([FieldError(loc=("body", "items"), key="bundle.products")])


async def insert_items(scope: Scope, bundle_id: uuid.UUID, items: Items) -> None:
    """One multi-row INSERT (a product already in the bundle is a 409 naming it)."""
    if items:
        # one multi-row VALUES statement (an executemany runs once per row on SQLite)
        await scope.db.execute(
            insert(ITEMS).values(
                [
                    {"id": uuid.uuid4(), "id_bundle": bundle_id, "id_product": product, "qty": qty}
                    for product, qty in items.items()
                ]
            )
        )


async def remove_items(
    scope: Scope, bundle_id: uuid.UUID, product_ids: Sequence[uuid.UUID]
) -> None:
    """One DELETE; 422 when a product is not in the bundle (the request then changes nothing)."""
    table = ITEMS
    result: Any = await scope.db.execute(
        delete(table).where(
            table.c.id_bundle == bundle_id, table.c.id_product.in_(list(product_ids))
        )
    )
    _all_found(result.rowcount, product_ids)


async def set_quantities(scope: Scope, bundle_id: uuid.UUID, items: Items) -> None:
    """One UPDATE with a CASE over the products; 422 when one is not in the bundle."""
    table = ITEMS
    result: Any = await scope.db.execute(
        update(table)
        .where(table.c.id_bundle == bundle_id, table.c.id_product.in_(list(items)))
        .values(qty=case(dict(items), value=table.c.id_product))
    )
    _all_found(result.rowcount, list(items))


async def replace_items(scope: Scope, bundle_id: uuid.UUID, items: Items) -> None:
    """Exactly these products: one DELETE and one INSERT."""
    table = ITEMS
    await scope.db.execute(delete(table).where(table.c.id_bundle == bundle_id))
    await insert_items(scope, bundle_id, items)


def _all_found(changed: int, product_ids: Sequence[uuid.UUID]) -> None:
    if changed != len(product_ids):
        raise ValidationError([FieldError(loc=("body", "items"), key="bundle.not_inside")])


async def ensure_publishable(scope: Scope, bundle_id: uuid.UUID) -> None:
    """409 unless the bundle holds products and every one is live and published (one query)."""
    row = (
        await scope.db.execute(
            select(
                func.count(),
                func.count(
                    case(
                        (
                            (Product.status != ProductStatus.PUBLISHED)
                            | Product.deleted_at.is_not(None),
                            1,
                        )
                    )
                ),
            )
            .select_from(BundleProduct)
            .join(Product, Product.id == BundleProduct.id_product)
            .where(BundleProduct.id_bundle == bundle_id)
        )
    ).one()
    total, unpublished = row
    if not total or unpublished:
        raise BundleNotPublishableError()
