"""Builders for the chapter site: chapters, products, readers, entitlements, reviews, tags."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.auth import AuthUser
from esensi.models.book import Book, BookTags
from esensi.models.chapter import Chapter
from esensi.models.customer import Customer
from esensi.models.entitlement import TSalesDownload
from esensi.models.product import Product
from esensi.models.review import Reviews
from esensi.models.sales import TSales
from esensi.models.taxonomy import Tags
from factories import login_as, make_user
from rlib.auth.users import SessionUser
from rlib.testing import FakeAuthenticator


async def _add(db: AsyncSession, row: Any) -> Any:
    db.add(row)
    await db.flush()
    return row


async def make_chapter(db: AsyncSession, book: Book, number: int, **overrides: Any) -> Chapter:
    values = {
        "id_book": book.id,
        "number": number,
        "name": f"Bab {number}",
        "status": "published",
        "content": {"blocks": [{"type": "paragraph", "data": {"text": f"isi bab {number}"}}]},
        "published_at": dt.datetime.now(dt.UTC),
        **overrides,
    }
    return await _add(db, Chapter(**values))


async def sell_book(db: AsyncSession, book: Book, **overrides: Any) -> Product:
    """A published product for ``book``, linked as its entitling product."""
    values = {
        "name": book.name,
        "slug": f"produk-{book.slug}",
        "id_author": book.id_author,
        "real_price": Decimal(25_000),
        "status": "published",
        "is_chapter": True,
        **overrides,
    }
    product = await _add(db, Product(**values))
    book.id_product = product.id
    await db.flush()
    return product


async def make_reader(db: AsyncSession, **overrides: Any) -> tuple[AuthUser, uuid.UUID]:
    """A login with a customer profile; returns the login and the customer id."""
    user = await make_user(db, **overrides)
    customer = await _add(db, Customer(name=user.name, email=user.email, id_user=user.id))
    return user, customer.id


def sign_in_reader(auth: FakeAuthenticator, user: AuthUser, customer_id: uuid.UUID) -> SessionUser:
    return login_as(auth, user.id, customer=customer_id)


async def entitle(db: AsyncSession, customer_id: uuid.UUID, product: Product) -> TSalesDownload:
    """A paid order granting ``product`` to the customer."""
    order = await _add(db, TSales(id_customer=customer_id, status="paid"))
    return await _add(
        db, TSalesDownload(id_customer=customer_id, id_product=product.id, id_sales=order.id)
    )


async def make_tag(db: AsyncSession, slug: str, **overrides: Any) -> Tags:
    return await _add(db, Tags(**{"name": slug.title(), "slug": slug, **overrides}))


async def tag_with(db: AsyncSession, book: Book, tag: Tags) -> None:
    await _add(db, BookTags(id_book=book.id, id_tags=tag.id))


async def make_review(db: AsyncSession, book: Book, user: AuthUser, **overrides: Any) -> Reviews:
    values = {"id_book": book.id, "id_user": user.id, "comments": "Bagus sekali", "rating": 5}
    return await _add(db, Reviews(**{**values, **overrides}))


async def make_reader_profile(db: AsyncSession, user: AuthUser) -> uuid.UUID:
    """Give an existing login a customer profile; returns its id."""
    customer = await _add(db, Customer(name=user.name, email=user.email, id_user=user.id))
    return customer.id
