"""The back office's global dashboard: counts, paid sales of a period, the latest paid orders,
the best-selling authors and books, and paid sales per month.

Every figure is one parameterised SQL aggregate (six statements whatever the data size). A
sale is an order in status ``paid``; its moment is ``paid_at``. Line revenue is net of the
line's share of the promo discount. The period's date condition sits inside the join (``ON``),
so authors without sales in the period are still listed, with zero.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, select

from esensi.models.affiliate import Affiliate
from esensi.models.author import Author
from esensi.models.book import Book
from esensi.models.bundle import Bundle
from esensi.models.customer import Customer
from esensi.models.enums import BookStatus, ProductStatus, SalesStatus
from esensi.models.product import Product
from esensi.models.publisher import Publisher
from esensi.models.sales import TSales, TSalesLine
from rlib import Scope
from rlib.db.types import BoundedNumeric

TOP = 5
RECENT = 10
CENTS = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)`` in UTC, and how many months the monthly series covers."""

    start: dt.datetime
    end: dt.datetime
    months: int = 12


def money(value: object) -> Decimal:
    """A SQL sum as exact rupiah (SQLite sums are floating point)."""
    return Decimal(str(value or 0)).quantize(CENTS)


async def stats(scope: Scope, period: Period) -> dict[str, Any]:
    """Every figure of the dashboard for ``period``."""
    return {
        "counts": await _counts(scope),
        "period": await _period_sales(scope, period),
        "recent": await _recent(scope),
        "top_authors": await _top_authors(scope, period),
        "top_books": await _top_books(scope, period),
        "monthly": await _monthly(scope, period),
    }


def _paid(start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    return and_(
        TSales.status == SalesStatus.PAID.value,
        TSales.deleted_at.is_(None),
        TSales.paid_at >= start,
        TSales.paid_at < end,
    )


def _count(model: Any, *where: ColumnElement[bool]) -> Any:
    return select(func.count()).select_from(model).where(*where).scalar_subquery()


async def _counts(scope: Scope) -> dict[str, int]:
    figures = {
        "customers": _count(Customer, Customer.deleted_at.is_(None)),
        "authors": _count(Author),
        "publishers": _count(Publisher),
        "affiliates": _count(Affiliate),
        "books": _count(Book, Book.deleted_at.is_(None)),
        "books_submitted": _count(
            Book, Book.deleted_at.is_(None), Book.status == BookStatus.SUBMITTED.value
        ),
        "products_published": _count(
            Product, Product.deleted_at.is_(None), Product.status == ProductStatus.PUBLISHED.value
        ),
        "orders_paid": _count(
            TSales, TSales.deleted_at.is_(None), TSales.status == SalesStatus.PAID.value
        ),
    }
    row = (await scope.db.execute(select(*(v.label(k) for k, v in figures.items())))).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


async def _period_sales(scope: Scope, period: Period) -> dict[str, Any]:
    row = (
        await scope.db.execute(
            select(
                func.count(TSales.id),
                func.coalesce(func.sum(TSales.total), 0),
                func.coalesce(func.sum(TSales.discount_total), 0),
            ).where(_paid(period.start, period.end))
        )
    ).one()
    return {
        "start": period.start,
        "end": period.end,
        "orders": int(row[0]),
        "revenue": money(row[1]),
        "discount": money(row[2]),
    }


async def _recent(scope: Scope) -> list[dict[str, Any]]:
    rows = await scope.db.execute(
        select(
            TSales.id,
            TSales.total,
            TSales.paid_at,
            Customer.id.label("id_customer"),
            Customer.name.label("customer"),
        )
        .join(Customer, Customer.id == TSales.id_customer)
        .where(TSales.status == SalesStatus.PAID.value, TSales.deleted_at.is_(None))
        .order_by(TSales.paid_at.desc().nulls_last(), TSales.id.desc())
        .limit(RECENT)
    )
    return [{**row._mapping, "total": money(row.total)} for row in rows]


def _lines(period: Period) -> Any:
    """Paid lines of the period with their author and net revenue (products and bundles)."""
    net = (TSalesLine.total_price - TSalesLine.discount_amount).label("net")
    return (
        select(
            func.coalesce(Product.id_author, Bundle.id_author).label("id_author"),
            TSalesLine.id_product,
            TSalesLine.qty,
            net,
        )
        .join(TSales, and_(TSales.id == TSalesLine.id_sales, _paid(period.start, period.end)))
        .outerjoin(Product, Product.id == TSalesLine.id_product)
        .outerjoin(Bundle, Bundle.id == TSalesLine.id_bundle)
        .subquery("paid_lines")
    )


async def _top_authors(scope: Scope, period: Period) -> list[dict[str, Any]]:
    lines = _lines(period)
    revenue = func.coalesce(func.sum(lines.c.net), literal(0, BoundedNumeric())).label("revenue")
    rows = await scope.db.execute(
        select(
            Author.id,
            Author.name,
            func.coalesce(func.sum(lines.c.qty), 0).label("sold"),
            revenue,
        )
        .outerjoin(lines, lines.c.id_author == Author.id)
        .group_by(Author.id, Author.name)
        .order_by(revenue.desc(), Author.name, Author.id)
        .limit(TOP)
    )
    return [
        {"id": r.id, "name": r.name, "sold": int(r.sold), "revenue": money(r.revenue)} for r in rows
    ]


async def _top_books(scope: Scope, period: Period) -> list[dict[str, Any]]:
    lines = _lines(period)
    revenue = func.sum(lines.c.net).label("revenue")
    rows = await scope.db.execute(
        select(
            Product.id,
            Product.name,
            Product.slug,
            Author.name.label("author"),
            func.sum(lines.c.qty).label("sold"),
            revenue,
        )
        .join(lines, lines.c.id_product == Product.id)
        .join(Author, Author.id == Product.id_author)
        .group_by(Product.id, Product.name, Product.slug, Author.name)
        .order_by(revenue.desc(), Product.name, Product.id)
        .limit(TOP)
    )
    return [
        {
            "id": r.id,
            "name": r.name,
            "slug": r.slug,
            "author": r.author,
            "sold": int(r.sold),
            "revenue": money(r.revenue),
        }
        for r in rows
    ]


def _month(scope: Scope) -> ColumnElement[str]:
    if scope.db.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", TSales.paid_at), "YYYY-MM")
    return func.strftime("%Y-%m", TSales.paid_at)


def months_back(end: dt.datetime, months: int) -> dt.datetime:
    """The first instant of the month ``months - 1`` months before ``end``'s month."""
    index = end.year * 12 + end.month - 1 - (months - 1)
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC)


async def _monthly(scope: Scope, period: Period) -> list[dict[str, Any]]:
    month = _month(scope).label("month")
    start = months_back(period.end, period.months)
    rows = await scope.db.execute(
        select(month, func.count(TSales.id), func.coalesce(func.sum(TSales.total), 0))
        .where(_paid(start, period.end))
        .group_by(month)
        .order_by(month)
    )
    return [{"month": r[0], "orders": int(r[1]), "revenue": money(r[2])} for r in rows]
