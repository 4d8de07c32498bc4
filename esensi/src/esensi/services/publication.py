"""A book's product, made from the stored book when staff publish it (spec/workflows.md §3.2).

Only the stored book is read: nothing a request says about the book reaches the product, so a
tampered approval body cannot change a name, a file or a price.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, or_, select, update

from esensi.models.author import Author
from esensi.models.book import Book
from esensi.models.bundle import Bundle, BundleProduct
from esensi.models.enums import BundleStatus, NotifType, ProductStatus
from esensi.models.product import Product, ProductCategory
from esensi.models.taxonomy import Category
from esensi.services.notifications import send_notif
from rlib import ConflictError, Scope, ValidationError
from rlib.db.base import utcnow
from rlib.errors import FieldError

# The columns a product takes from its book, on creation and on every re-approval.
COPIED = (
    "name",
    "slug",
    "alias",
    "desc",
    "info",
    "currency",
    "img_file",
    "cover",
    "product_file",
    "sku",
    "id_author",
    "id_publisher",
    "content_type",
    "is_chapter",
    "is_physical",
    "preorder_min_qty",
    "published_date",
)


BUNDLE_PAUSED = "Paket {bundle} dijeda karena salah satu bukunya tidak lagi dijual"


class ProductClashError(ConflictError):
    """409: another live product already uses the book's slug or SKU."""

    code = "product_clash"
    key = "product.clash"


class ProductDiscontinuedError(ConflictError):
    """409: the book's product was discontinued for good; it cannot be sold again."""

    code = "product_discontinued"
    key = "product.discontinued"


def copied_from(book: Book) -> dict[str, Any]:
    """The product's values from ``book``: descriptive fields, owners, and the submitted price."""
    values = {column: getattr(book, column) for column in COPIED}
    values["real_price"] = book.submitted_price
    return values


async def publish_product(
    scope: Scope, book: Book, *, category_ids: Sequence[uuid.UUID] = ()
) -> Product:
    """Create the book's product, or bring the existing one up to date, and put it on sale.

    Raises:
        ProductClashError: another live product has the book's slug or SKU (nothing changes).
        ProductDiscontinuedError: the existing product is discontinued.
        ValidationError: a chosen category does not exist.
    """
    await _ensure_no_clash(scope, book)
    values = {**copied_from(book), "status": ProductStatus.PUBLISHED.value}
    if book.id_product is None:
        product = Product(**values)
        scope.db.add(product)
        await scope.db.flush()
        book.id_product = product.id
    else:
        product = await _refreshed(scope, book.id_product, values)
    await _link_categories(scope, product.id, category_ids)
    return product


async def pause_product(scope: Scope, product_id: uuid.UUID) -> int:
    """Take a published product off sale, and the published bundles holding it, whose owners
    are told (spec/workflows.md §3.3); buyers keep their entitlements (nothing here touches
    them). Returns how many bundles were paused."""
    await scope.db.execute(
        update(Product)
        .where(Product.id == product_id, Product.status == ProductStatus.PUBLISHED.value)
        .values(status=ProductStatus.PAUSED.value, version=Product.version + 1)
    )
    holding = select(BundleProduct.id_bundle).where(BundleProduct.id_product == product_id)
    paused = await scope.db.execute(
        update(Bundle)
        .where(
            Bundle.id.in_(holding),
            Bundle.status == BundleStatus.PUBLISHED.value,
            Bundle.deleted_at.is_(None),
        )
        .values(status=BundleStatus.PAUSED.value, version=Bundle.version + 1)
        .returning(Bundle.id, Bundle.name, Bundle.id_author)
        .execution_options(synchronize_session=False)
    )
    bundles = paused.all()
    await _tell_bundle_owners(scope, [(row.id, row.name, row.id_author) for row in bundles])
    return len(bundles)


async def _tell_bundle_owners(
    scope: Scope, bundles: Sequence[tuple[uuid.UUID, str, uuid.UUID]]
) -> None:
    """A ``message`` notification per paused bundle to its author's login (one lookup)."""
    if not bundles:
        return
    found = await scope.db.execute(
        select(Author.id, Author.id_user).where(
            Author.id.in_({author for _, _, author in bundles}), Author.id_user.is_not(None)
        )
    )
    owners = {row.id: row.id_user for row in found}
    for bundle_id, name, author in bundles:
        user_id = owners.get(author)
        if user_id is not None:
            content = {
                "type": NotifType.MESSAGE.value,
                "message": BUNDLE_PAUSED.format(bundle=name)[:1000],
                "url": f"/bundle/{bundle_id}",
            }
            await send_notif(scope, user_id, {"notif": content})


async def _ensure_no_clash(scope: Scope, book: Book) -> None:
    same = [Product.slug == book.slug]
    if book.sku is not None:
        same.append(Product.sku == book.sku)
    clash = select(Product.id).where(Product.deleted_at.is_(None), or_(*same))
    if book.id_product is not None:
        clash = clash.where(Product.id != book.id_product)
    if await scope.db.scalar(clash.limit(1)) is not None:
        raise ProductClashError()


async def _refreshed(scope: Scope, product_id: uuid.UUID, values: dict[str, Any]) -> Product:
    product = await scope.db.get(Product, product_id, with_for_update=True)
    assert product is not None  # book.id_product is a foreign key
    if product.status == ProductStatus.DISCONTINUED.value:
        raise ProductDiscontinuedError()
    if product.deleted_at is not None:
        product.deleted_at = None
    for column, value in values.items():
        setattr(product, column, value)
    product.version += 1
    await scope.db.flush()
    return product


async def _link_categories(
    scope: Scope, product_id: uuid.UUID, category_ids: Sequence[uuid.UUID]
) -> None:
    wanted = set(category_ids)
    if not wanted:
        return
    found = set(
        await scope.db.scalars(
            select(Category.id).where(Category.id.in_(wanted), Category.deleted_at.is_(None))
        )
    )
    if found != wanted:
        raise ValidationError([FieldError(loc=("body", "category_ids"), key="product.category")])
    linked = set(
        await scope.db.scalars(
            select(ProductCategory.id_category).where(ProductCategory.id_product == product_id)
        )
    )
    fresh = sorted(wanted - linked)
    if fresh:
        # One multi-row INSERT (not executemany): one statement whatever the number.
        rows = [{"id_product": product_id, "id_category": c, "created_at": utcnow()} for c in fresh]
        await scope.db.execute(insert(ProductCategory).values(rows))
