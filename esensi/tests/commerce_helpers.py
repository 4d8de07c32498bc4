"""Shared world of the customer's orders and library tests: two customers, orders in several
statuses, entitlements, a book file in the private root, and a client whose files live in a
temporary directory."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import httpx

from esensi.app import build_app
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.entitlement import TSalesDownload
from esensi.models.product import Product
from esensi.models.sales import TSales
from esensi.settings import FileSettings, Settings
from factories import login_as, make_author
from factories.catalogue import make_customer, make_order, make_product
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client

EPUB = b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/epub+zip" + b"\x00" * 200
BOOK_NAME = "2026-01/05/AbCdEfGhIjKlMnOpQrStUv.epub"  # the shape the store generates


@asynccontextmanager
async def files_client(
    database: Database, auth: FakeAuthenticator, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose file directory is this test's temporary directory."""
    settings = Settings(
        env="test", database_url=database.config.url, files=FileSettings(directory=tmp_path)
    )
    app = build_app(settings, authenticator=auth)
    app.use_database(database)
    async with app_client(app) as client:
        yield client


def put_book_file(root: Path, content: bytes = EPUB) -> str:
    """Write a book file into the private root; the name to store in ``product_file``."""
    path = root / "book" / BOOK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return f"_file/book/{BOOK_NAME}"


@dataclass
class Shop:
    author: Author
    me: Customer
    other: Customer
    products: list[Product]
    orders: dict[str, TSales] = field(default_factory=dict)


async def make_shop(db, *, product_count: int = 3) -> Shop:
    author = await make_author(db)
    products = [
        await make_product(db, author, name=f"Buku {n}", slug=f"buku-{n}")
        for n in range(product_count)
    ]
    me, other = await make_customer(db), await make_customer(db)
    return Shop(author, me, other, products)


async def grant(
    db, customer: Customer, product: Product, *, revoked: bool = False, days_ago: int = 0
) -> TSalesDownload:
    """A paid order of ``product`` and the entitlement it granted."""
    order = await make_order(db, customer, "paid", product)
    now = dt.datetime.now(dt.UTC)
    row = TSalesDownload(
        id_customer=customer.id,
        id_product=product.id,
        id_sales=order.id,
        granted_at=now - dt.timedelta(days=days_ago),
        revoked_at=now if revoked else None,
    )
    db.add(row)
    await db.flush()
    return row


async def placed(db, customer: Customer, status: str, *items, days_ago: float = 0, **values):
    """An order placed ``days_ago`` (checkout time) with extra header values."""
    order = await make_order(db, customer, status, *items)
    order.checkout_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago)
    for name, value in values.items():
        setattr(order, name, value)
    await db.flush()
    return order


def sign_in(auth: FakeAuthenticator, customer: Customer) -> None:
    login_as(auth, uuid.uuid4(), customer=customer.id)


def money(value: str | float) -> Decimal:
    return Decimal(str(value))
