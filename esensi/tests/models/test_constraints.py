"""Each constraint family refuses bad rows the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.auth import AuthUser
from esensi.models.author import Author
from esensi.models.book import Book
from esensi.models.cms import Banner
from esensi.models.customer import Customer
from esensi.models.ledger import Transaction
from esensi.models.notif import Notif
from esensi.models.product import Product
from esensi.models.review import Reviews
from esensi.models.sales import TSales, TSalesLine
from esensi.models.taxonomy import Category
from rlib.db.types import ColumnValueError


async def make_author(session: AsyncSession) -> Author:
    author = Author(name="Tere Liye")
    session.add(author)
    await session.flush()
    return author


def make_product(author: Author, **overrides: object) -> Product:
    fields: dict[str, object] = {
        "name": "Bumi",
        "slug": f"bumi-{uuid.uuid4().hex[:8]}",
        "real_price": Decimal("45000.00"),
        "id_author": author.id,
    }
    return Product(**(fields | overrides))


async def test_status_outside_vocabulary_is_refused(session: AsyncSession) -> None:
    session.add(Banner(title="banner-default", status="on"))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_live_slug_is_unique_but_a_deleted_row_frees_it(session: AsyncSession) -> None:
    deleted = Category(name="Fiksi", slug="fiksi", deleted_at=dt.datetime.now(dt.UTC))
    session.add_all([deleted, Category(name="Fiksi", slug="fiksi")])
    await session.flush()

    session.add(Category(name="Fiksi lagi", slug="fiksi"))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_email_is_unique_whatever_its_case(session: AsyncSession) -> None:
    session.add(AuthUser(name="A", email="ana@example.com"))
    await session.flush()
    session.add(AuthUser(name="B", email="Ana@Example.com"))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_negative_money_is_refused(session: AsyncSession) -> None:
    author = await make_author(session)
    session.add(make_product(author, real_price=Decimal("-1.00")))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_strike_price_below_real_price_is_refused(session: AsyncSession) -> None:
    author = await make_author(session)
    session.add(make_product(author, strike_price=Decimal("1000.00")))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_currency_other_than_rupiah_is_refused(session: AsyncSession) -> None:
    customer = Customer(name="Budi", email="budi@example.com")
    session.add(customer)
    await session.flush()
    session.add(TSales(id_customer=customer.id, currency="USD"))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_line_total_must_be_price_times_qty(session: AsyncSession) -> None:
    author = await make_author(session)
    customer = Customer(name="Budi", email="budi@example.com")
    product = make_product(author, real_price=Decimal("10000.10"))
    session.add_all([customer, product])
    await session.flush()
    order = TSales(id_customer=customer.id)
    session.add(order)
    await session.flush()
    line = TSalesLine(
        id_sales=order.id, id_product=product.id, unit_price=Decimal("10000.10"), qty=3
    )
    session.add(line)
    line.total_price = Decimal("30000.30")
    await session.flush()

    line.total_price = Decimal("30000.00")
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_orphan_foreign_key_is_refused(session: AsyncSession) -> None:
    session.add(make_product(Author(id=uuid.uuid4(), name="ghost")))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_ledger_row_needs_exactly_one_owner(session: AsyncSession) -> None:
    session.add(Transaction(type="adjustment", amount=Decimal("5.00")))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_deleting_a_login_keeps_the_profile(session: AsyncSession) -> None:
    user = AuthUser(name="Budi", email="budi@example.com")
    session.add(user)
    await session.flush()
    customer = Customer(name="Budi", email="budi@example.com", id_user=user.id)
    session.add(customer)
    await session.flush()

    await session.delete(user)
    await session.flush()
    session.expunge(customer)
    kept = await session.scalar(select(Customer).where(Customer.id == customer.id))
    assert kept is not None
    assert kept.id_user is None


async def test_notif_ids_are_generated_in_order(session: AsyncSession) -> None:
    user = AuthUser(name="Budi", email="budi@example.com")
    session.add(user)
    await session.flush()
    first = Notif(id_user=user.id, type="message", message="Halo")
    second = Notif(id_user=user.id, type="chapter-new", message="Bab baru")
    session.add(first)
    await session.flush()
    session.add(second)
    await session.flush()
    assert isinstance(first.id, int)
    assert second.id > first.id


@pytest.mark.parametrize("name", ["x" * 256, "nul\x00byte"], ids=["too_long", "nul_byte"])
async def test_bad_string_raises_column_value_error(session: AsyncSession, name: str) -> None:
    session.add(Category(name=name, slug="ok"))
    with pytest.raises(StatementError) as caught:
        await session.flush()
    assert isinstance(caught.value.orig, ColumnValueError)


async def test_money_past_numeric_18_2_raises_column_value_error(session: AsyncSession) -> None:
    author = await make_author(session)
    session.add(make_product(author, real_price=Decimal("1e16")))
    with pytest.raises(StatementError) as caught:
        await session.flush()
    assert isinstance(caught.value.orig, ColumnValueError)


async def test_one_top_level_review_per_reader_and_book(session: AsyncSession) -> None:
    author = await make_author(session)
    user = AuthUser(name="Budi", email="budi@example.com")
    book = Book(name="Bumi", slug="bumi", id_author=author.id)
    session.add_all([user, book])
    await session.flush()
    review = Reviews(id_book=book.id, id_user=user.id, comments="Bagus", rating=5)
    session.add(review)
    await session.flush()
    session.add(
        Reviews(id_book=book.id, id_user=user.id, comments="Terima kasih", parent=review.id)
    )
    await session.flush()

    session.add(Reviews(id_book=book.id, id_user=user.id, comments="Lagi", rating=4))
    with pytest.raises(IntegrityError):
        await session.flush()
