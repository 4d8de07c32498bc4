"""Products, bundles, categories, publisher links and order lines for the portal's tests."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.author import Author
from esensi.models.bundle import Bundle, BundleCategory, BundleProduct
from esensi.models.customer import Customer
from esensi.models.entitlement import CustomerReader
from esensi.models.product import Product, ProductCategory
from esensi.models.publisher import Publisher, PublisherAuthor
from esensi.models.sales import TSales, TSalesLine
from esensi.models.taxonomy import Category


async def _add(db: AsyncSession, row: Any) -> Any:
    db.add(row)
    await db.flush()
    return row


def _suffix() -> str:
    return uuid.uuid4().hex[:8]


async def make_category(db: AsyncSession, **overrides: Any) -> Category:
    suffix = _suffix()
    return await _add(
        db, Category(**{"name": f"Kategori {suffix}", "slug": f"k-{suffix}", **overrides})
    )


async def make_product(
    db: AsyncSession, author: Author, *categories: Category, **overrides: Any
) -> Product:
    suffix = _suffix()
    values = {
        "name": f"Produk {suffix}",
        "slug": f"produk-{suffix}",
        "id_author": author.id,
        "real_price": Decimal(50_000),
        "status": "published",
        **overrides,
    }
    product = await _add(db, Product(**values))
    for category in categories:
        await _add(db, ProductCategory(id_product=product.id, id_category=category.id))
    return product


async def make_bundle(
    db: AsyncSession,
    author: Author,
    products: list[Product] = (),  # type: ignore[assignment]
    *categories: Category,
    **overrides: Any,
) -> Bundle:
    suffix = _suffix()
    values = {
        "name": f"Paket {suffix}",
        "slug": f"paket-{suffix}",
        "id_author": author.id,
        "real_price": Decimal(90_000),
        "status": "published",
        **overrides,
    }
    bundle = await _add(db, Bundle(**values))
    for product in products:
        await _add(db, BundleProduct(id_bundle=bundle.id, id_product=product.id, qty=1))
    for category in categories:
        await _add(db, BundleCategory(id_bundle=bundle.id, id_category=category.id))
    return bundle


async def make_publisher(db: AsyncSession, **overrides: Any) -> Publisher:
    return await _add(db, Publisher(**{"name": "Penerbit Nusantara", **overrides}))


async def link(db: AsyncSession, publisher: Publisher, author: Author, status: str) -> None:
    await _add(db, PublisherAuthor(publisher_id=publisher.id, author_id=author.id, status=status))


async def make_customer(db: AsyncSession, **overrides: Any) -> Customer:
    suffix = _suffix()
    return await _add(
        db, Customer(**{"name": f"Pembeli {suffix}", "email": f"b-{suffix}@contoh.id", **overrides})
    )


async def make_order(
    db: AsyncSession,
    customer: Customer,
    status: str,
    *items: Product | Bundle,
    qty: int = 1,
    paid_at: dt.datetime | None = None,
) -> TSales:
    """An order (or cart) holding each item once at its price times ``qty``."""
    lines = []
    for item in items:
        price = Decimal(item.real_price)
        key = "id_product" if isinstance(item, Product) else "id_bundle"
        lines.append({key: item.id, "unit_price": price, "qty": qty, "total_price": price * qty})
    subtotal = sum((line["total_price"] for line in lines), Decimal(0))
    when = paid_at or (dt.datetime.now(dt.UTC) if status == "paid" else None)
    sales = await _add(
        db,
        TSales(
            id_customer=customer.id,
            status=status,
            subtotal=subtotal,
            total=subtotal,
            paid_at=when,
        ),
    )
    for line in lines:
        await _add(db, TSalesLine(id_sales=sales.id, **line))
    return sales


async def make_reader(db: AsyncSession, customer: Customer, product: Product) -> None:
    await _add(db, CustomerReader(id_customer=customer.id, id_product=product.id))
