"""Publishers and their links to authors; products, bundles and orders for the dashboard."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.author import Author
from esensi.models.bundle import Bundle
from esensi.models.customer import Customer
from esensi.models.product import Product
from esensi.models.publisher import Publisher, PublisherAuthor
from esensi.models.sales import TSales, TSalesLine


async def make_publisher(db: AsyncSession, **overrides: Any) -> Publisher:
    values = {"name": f"Penerbit {uuid.uuid4().hex[:8]}", **overrides}
    row = Publisher(**values)
    db.add(row)
    await db.flush()
    return row


async def link(
    db: AsyncSession, publisher: Publisher, author: Author, status: str = "active"
) -> PublisherAuthor:
    row = PublisherAuthor(publisher_id=publisher.id, author_id=author.id, status=status)
    db.add(row)
    await db.flush()
    return row


async def make_product(db: AsyncSession, author: Author, **overrides: Any) -> Product:
    suffix = uuid.uuid4().hex[:8]
    values = {
        "name": f"Produk {suffix}",
        "slug": f"produk-{suffix}",
        "id_author": author.id,
        "real_price": Decimal(50000),
        "status": "published",
        **overrides,
    }
    row = Product(**values)
    db.add(row)
    await db.flush()
    return row


async def make_bundle(db: AsyncSession, author: Author, **overrides: Any) -> Bundle:
    suffix = uuid.uuid4().hex[:8]
    values = {
        "name": f"Paket {suffix}",
        "slug": f"paket-{suffix}",
        "id_author": author.id,
        "real_price": Decimal(90000),
        "status": "published",
        **overrides,
    }
    row = Bundle(**values)
    db.add(row)
    await db.flush()
    return row


async def make_order(
    db: AsyncSession,
    lines: list[tuple[Product | Bundle, int, Decimal]],
    *,
    status: str = "paid",
    paid_at: dt.datetime | None = None,
) -> TSales:
    """An order of (item, qty, discount share) lines for a new customer."""
    customer = Customer(name="Pembeli", email=f"beli-{uuid.uuid4().hex[:8]}@contoh.id")
    db.add(customer)
    await db.flush()
    subtotal = sum((item.real_price * qty for item, qty, _ in lines), Decimal(0))
    discount = sum((share for _, _, share in lines), Decimal(0))
    order = TSales(
        id_customer=customer.id,
        status=status,
        subtotal=subtotal,
        discount_total=discount,
        total=subtotal - discount,
        paid_at=paid_at,
    )
    db.add(order)
    await db.flush()
    for item, qty, share in lines:
        key = "id_product" if isinstance(item, Product) else "id_bundle"
        db.add(
            TSalesLine(
                id_sales=order.id,
                unit_price=item.real_price,
                qty=qty,
                total_price=item.real_price * qty,
                discount_amount=share,
                **{key: item.id},
            )
        )
    await db.flush()
    return order
