"""Signing the test client in as a real staff login (audit rows point at ``auth_user``), and
reading back the audit trail a request wrote."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from esensi.models.audit import AuditLog
from esensi.models.customer import Customer
from esensi.models.product import Product
from esensi.models.sales import TSales, TSalesLine
from factories import make_author
from factories.logins import make_login
from rlib.auth.users import SessionUser
from rlib.testing import FakeAuthenticator


async def sign_in_staff(database, auth: FakeAuthenticator, *roles: str) -> SessionUser:
    """A login in the database, signed in as staff with ``roles`` (the policy sees the flags)."""
    async with database.sessionmaker() as db:
        login = await make_login(db, password=None)
        await db.commit()
    user = SessionUser(
        id=login.id,
        profiles={"internal": login.id},
        roles=frozenset(f"internal:{role}" for role in roles),
    )
    auth.user = user
    return user


async def audit_rows(database, entity: str) -> list[AuditLog]:
    """The audit rows of ``entity``, oldest first."""
    async with database.sessionmaker() as db:
        rows = await db.scalars(
            select(AuditLog).where(AuditLog.entity == entity).order_by(AuditLog.id)
        )
        return list(rows)


async def make_products(database, count: int, **overrides: Any) -> list[Product]:
    """``count`` published products of one new author (``author`` overrides the author)."""
    async with database.sessionmaker() as db:
        author_id = overrides.pop("id_author", None) or (await make_author(db)).id
        products = []
        for n in range(count):
            suffix = f"{n}-{uuid.uuid4().hex[:8]}"
            values = {
                "name": f"Produk {suffix}",
                "slug": f"produk-{suffix}",
                "real_price": Decimal(25_000),
                "id_author": author_id,
                "status": "published",
                **overrides,
            }
            product = Product(**values)
            db.add(product)
            products.append(product)
        await db.commit()
        return products


async def make_sale(database, *, status: str = "paid", **line: Any) -> None:
    """An order (or a cart) of one new customer with one line (``id_product`` or ``id_bundle``)."""
    price = Decimal(25_000)
    async with database.sessionmaker() as db:
        customer = Customer(name="Pembeli", email=f"b-{uuid.uuid4().hex[:8]}@contoh.id")
        db.add(customer)
        await db.flush()
        sale = TSales(id_customer=customer.id, status=status, subtotal=price, total=price)
        db.add(sale)
        await db.flush()
        key = "id_product" if "product_id" in line else "id_bundle"
        target = line.get("product_id") or line.get("bundle_id")
        db.add(TSalesLine(id_sales=sale.id, unit_price=price, total_price=price, **{key: target}))
        await db.commit()
