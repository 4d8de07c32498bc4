"""An author's (or their publisher's) own products: detail, price and status, discontinuing.

Products are created only when a book is approved; here their owner tunes price and
availability. Pausing or discontinuing a product pauses the published bundles holding it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select, update

from esensi.models.author import Author
from esensi.models.bundle import Bundle, BundleProduct
from esensi.models.enums import BundleStatus, ProductStatus, SalesStatus
from esensi.models.product import Product, ProductCategory
from esensi.models.sales import TSales, TSalesLine
from esensi.services import category_links, notifications
from esensi.services.catalogue_owner import check_version, own_product, owner_ids
from rlib import ConflictError, FieldError, Scope, ValidationError
from rlib.db.base import utcnow

DETAIL_BUNDLES = 10
# The owner moves a product between these two; draft ones wait for approval, discontinued is final.
SWITCHABLE = (ProductStatus.PUBLISHED, ProductStatus.PAUSED)


class ProductStatusLockedError(ConflictError):
    """409: only a published or paused product can be switched between the two."""

    code = "product_status_locked"
    key = "product.status_locked"


@dataclass(frozen=True, slots=True)
class ProductChange:
    """What the owner asked to change; ``fields`` holds only the keys the request sent."""

    product_id: uuid.UUID
    version: int | None
    fields: dict[str, Any]


async def detail(scope: Scope, product_id: uuid.UUID) -> dict[str, Any]:
    """The product's columns, its categories and up to ten of the caller's bundles holding it."""
    product = await own_product(scope, product_id)
    return await describe(scope, product)


async def describe(scope: Scope, product: Product) -> dict[str, Any]:
    """``product`` as the portal shows it (two more queries, whatever the counts)."""
    owners = await owner_ids(scope)
    categories = await category_links.of(scope, ProductCategory, "id_product", [product.id])
    bundles = await scope.db.execute(
        select(Bundle.id, Bundle.name, Bundle.slug, Bundle.status, BundleProduct.qty)
        .join(BundleProduct, BundleProduct.id_bundle == Bundle.id)
        .where(
            BundleProduct.id_product == product.id,
            Bundle.deleted_at.is_(None),
            Bundle.id_author.in_(owners),
        )
        .order_by(Bundle.name, Bundle.id)
        .limit(DETAIL_BUNDLES)
    )
    columns = {c.key: getattr(product, c.key) for c in Product.__table__.c}
    return {
        **columns,
        "categories": categories[product.id],
        "bundles": [dict(row) for row in bundles.mappings()],
    }


async def change(scope: Scope, request: ProductChange) -> Product:
    """Apply price, strike price, status and category changes to an own product."""
    product = await own_product(scope, request.product_id, lock=True)
    check_version(product.version, request.version)
    fields = dict(request.fields)
    categories = fields.pop("categories", None)
    if "status" in fields and fields["status"] != product.status:
        if product.status not in SWITCHABLE:
            raise ProductStatusLockedError()
        if fields["status"] == ProductStatus.PAUSED:
            await pause_bundles_holding(scope, product)
    for key, value in fields.items():
        setattr(product, key, value)
    check_prices(product.real_price, product.strike_price)
    if categories is not None:
        wanted = await category_links.ensure_live(scope, categories)
        await category_links.replace(scope, ProductCategory, "id_product", product.id, wanted)
    product.version += 1
    product.updated_at = utcnow()
    await scope.db.flush()
    return product


def check_prices(real: Decimal, strike: Decimal | None) -> None:
    """422 on ``strike_price`` when it is below the selling price (products and bundles)."""
    if strike is not None and strike < real:
        raise ValidationError([FieldError(loc=("body", "strike_price"), key="product.strike")])


async def discontinue(scope: Scope, product_id: uuid.UUID, version: int | None) -> Product:
    """Own product → discontinued; soft-deleted too when it never sold (buyers keep theirs)."""
    product = await own_product(scope, product_id, lock=True)
    check_version(product.version, version)
    await pause_bundles_holding(scope, product)
    product.status = ProductStatus.DISCONTINUED
    if not await has_sales(scope, product.id):
        product.deleted_at = utcnow()
    product.version += 1
    product.updated_at = utcnow()
    await scope.db.flush()
    return product


async def has_sales(scope: Scope, product_id: uuid.UUID) -> bool:
    """Whether a paid or refunded order holds the product, alone or in a bundle."""
    in_bundle = select(BundleProduct.id_bundle).where(BundleProduct.id_product == product_id)
    sold = (
        exists()
        .where(
            TSalesLine.id_sales == TSales.id,
            TSales.status.in_((SalesStatus.PAID, SalesStatus.REFUNDED)),
            (TSalesLine.id_product == product_id) | TSalesLine.id_bundle.in_(in_bundle),
        )
        .select()
    )
    return bool(await scope.db.scalar(sold))


async def pause_bundles_holding(scope: Scope, product: Product) -> None:
    """Pause every published bundle holding the product (one statement) and tell its owner."""
    holding = select(BundleProduct.id_bundle).where(BundleProduct.id_product == product.id)
    paused = await scope.db.execute(
        update(Bundle)
        .where(Bundle.id.in_(holding), Bundle.status == BundleStatus.PUBLISHED)
        .values(status=BundleStatus.PAUSED, version=Bundle.version + 1, updated_at=utcnow())
        .returning(Bundle.id, Bundle.name)
        .execution_options(synchronize_session=False)
    )
    bundles = paused.all()
    if not bundles:
        return
    owner = await scope.db.scalar(select(Author.id_user).where(Author.id == product.id_author))
    if owner is not None:
        names = ", ".join(sorted(name for _, name in bundles))
        message = f"Paket dijeda karena produk {product.name} tidak lagi dijual: {names}"
        content = {"type": "message", "message": message[:1000], "url": f"/product/{product.id}"}
        await notifications.send_notif(scope, owner, {"notif": content})
