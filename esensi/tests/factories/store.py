"""Builders for the store's catalogue: products, categories, bundles, customers."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.author import Author
from esensi.models.bundle import Bundle, BundleCategory, BundleProduct
from esensi.models.cms import Banner
from esensi.models.customer import Customer
from esensi.models.product import Product, ProductCategory
from esensi.models.taxonomy import Category


async def _add(db: AsyncSession, row: Any) -> Any:
    db.add(row)
    await db.flush()
    return row


async def make_product(db: AsyncSession, author: Author, **overrides: Any) -> Product:
    suffix = uuid.uuid4().hex[:8]
    values = {
        "name": f"Produk {suffix}",
        "slug": f"produk-{suffix}",
        "id_author": author.id,
        "status": "published",
        "real_price": Decimal(50_000),
        "published_date": dt.datetime.now(dt.UTC),
        **overrides,
    }
    return await _add(db, Product(**values))


async def make_category(db: AsyncSession, slug: str, **overrides: Any) -> Category:
    return await _add(db, Category(**{"name": slug.title(), "slug": slug, **overrides}))


async def file_product(db: AsyncSession, product: Product, category: Category) -> None:
    await _add(db, ProductCategory(id_product=product.id, id_category=category.id))


async def make_bundle(
    db: AsyncSession,
    author: Author,
    products: Sequence[Product] = (),
    categories: Sequence[Category] = (),
    **overrides: Any,
) -> Bundle:
    suffix = uuid.uuid4().hex[:8]
    values = {
        "name": f"Paket {suffix}",
        "slug": f"paket-{suffix}",
        "id_author": author.id,
        "status": "published",
        "real_price": Decimal(90_000),
        **overrides,
    }
    bundle = await _add(db, Bundle(**values))
    for product in products:
        await _add(db, BundleProduct(id_bundle=bundle.id, id_product=product.id))
    for category in categories:
        await _add(db, BundleCategory(id_bundle=bundle.id, id_category=category.id))
    return bundle


async def make_banner(db: AsyncSession, title: str, **overrides: Any) -> Banner:
    values = {"title": title, "banner_file": [f"/_file/upload/{title}.webp"], **overrides}
    return await _add(db, Banner(**values))


async def make_customer(db: AsyncSession, **overrides: Any) -> Customer:
    suffix = uuid.uuid4().hex[:8]
    values = {"name": f"Pembaca {suffix}", "email": f"pembaca-{suffix}@contoh.id", **overrides}
    return await _add(db, Customer(**values))
