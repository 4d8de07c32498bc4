"""The portal dashboard: what an author (or a publisher, over its active authors) has and sold.

Five parameterised SQL statements, whatever the data size (no per-row query): catalogue counts,
the paid-sales aggregate of the period, the last ten sales, the top books of the period and
twelve monthly totals. A sale is a line of a ``paid`` order whose product or bundle belongs to an
author the caller manages (``services/ownership.py``); revenue is the line total less its share
of the order's promo discount. Dates filter the order in the WHERE clause, never after an outer
join (original defect D-FN-05).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.engine import RowMapping

from esensi.models.book import Book
from esensi.models.bundle import Bundle
from esensi.models.chapter import Chapter
from esensi.models.enums import BookStatus, SalesStatus
from esensi.models.product import Product
from esensi.models.sales import TSales, TSalesLine
from esensi.services.ownership import managed_by_caller
from rlib import Scope
from rlib.errors import FieldError, ValidationError

RECENT_SALES = 10
TOP_BOOKS = 5
MONTHS = 12
DEFAULT_SPAN = dt.timedelta(days=30)
MAX_SPAN = dt.timedelta(days=366)


class PeriodInvalidError(ValidationError):
    """422: the period ends before it starts or spans more than 366 days."""

    code = "period_invalid"


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)`` in UTC."""

    start: dt.datetime
    end: dt.datetime


def period_of(start: dt.datetime | None, end: dt.datetime | None, *, now: dt.datetime) -> Period:
    """``[start, end)``: by default the 30 days to ``now``; 422 when empty or over 366 days."""
    until = end or now
    since = start or until - DEFAULT_SPAN
    if since >= until or until - since > MAX_SPAN:
        raise PeriodInvalidError([FieldError(loc=("body", "start"), key="dashboard.period")])
    return Period(since.astimezone(dt.UTC), until.astimezone(dt.UTC))


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the dashboard shows, as plain rows."""

    counts: RowMapping
    sales: RowMapping
    recent: list[RowMapping]
    top_books: list[RowMapping]
    monthly: list[dict[str, Any]]


def _revenue() -> ColumnElement[Any]:
    return func.round(TSalesLine.total_price - TSalesLine.discount_amount, 2)


def _total(amount: ColumnElement[Any]) -> ColumnElement[Any]:
    # Rounded again after summing: SQLite adds numerics as floats.
    return func.round(func.coalesce(func.sum(amount), 0), 2)


def _own_sales(scope: Scope) -> Any:
    """Paid lines of the caller's products or bundles, with both owners joined (outer)."""
    return (
        select()
        .select_from(TSalesLine)
        .join(TSales, TSales.id == TSalesLine.id_sales)
        .outerjoin(Product, Product.id == TSalesLine.id_product)
        .outerjoin(Bundle, Bundle.id == TSalesLine.id_bundle)
        .where(
            TSales.status == SalesStatus.PAID,
            TSales.paid_at.is_not(None),
            or_(
                managed_by_caller(scope, Product.id_author),
                managed_by_caller(scope, Bundle.id_author),
            ),
        )
    )


def _in(period: Period) -> ColumnElement[bool]:
    return and_(TSales.paid_at >= period.start, TSales.paid_at < period.end)


async def _counts(scope: Scope) -> RowMapping:
    def count(model: Any, *where: ColumnElement[bool]) -> Any:
        live = model.deleted_at.is_(None)
        owned = managed_by_caller(scope, model.id_author)
        return select(func.count()).where(live, owned, *where).scalar_subquery()

    chapters = (
        select(func.count())
        .select_from(Chapter)
        .join(Book, Book.id == Chapter.id_book)
        .where(Book.deleted_at.is_(None), managed_by_caller(scope, Book.id_author))
        .scalar_subquery()
    )
    query = select(
        count(Book).label("books"),
        count(Book, Book.status == BookStatus.PUBLISHED).label("books_published"),
        count(Product).label("products"),
        count(Bundle).label("bundles"),
        chapters.label("chapters"),
    )
    return (await scope.db.execute(query)).mappings().one()


async def _period_sales(scope: Scope, period: Period) -> RowMapping:
    query = _own_sales(scope).add_columns(
        func.count(func.distinct(TSales.id)).label("orders"),
        func.coalesce(func.sum(TSalesLine.qty), 0).label("items"),
        _total(_revenue()).label("revenue"),
    )
    return (await scope.db.execute(query.where(_in(period)))).mappings().one()


async def _recent(scope: Scope) -> list[RowMapping]:
    query = (
        _own_sales(scope)
        .add_columns(
            TSalesLine.id,
            TSales.paid_at,
            case((TSalesLine.id_product.is_not(None), "product"), else_="bundle").label("kind"),
            func.coalesce(Product.id, Bundle.id).label("item_id"),
            func.coalesce(Product.name, Bundle.name).label("item_name"),
            TSalesLine.qty,
            _revenue().label("revenue"),
        )
        .order_by(TSales.paid_at.desc(), TSalesLine.id)
        .limit(RECENT_SALES)
    )
    return list((await scope.db.execute(query)).mappings())


async def _top_books(scope: Scope, period: Period) -> list[RowMapping]:
    revenue = _total(_revenue())
    query = (
        select(
            Product.id.label("id_product"),
            Product.name,
            func.sum(TSalesLine.qty).label("items"),
            revenue.label("revenue"),
        )
        .select_from(TSalesLine)
        .join(TSales, TSales.id == TSalesLine.id_sales)
        .join(Product, Product.id == TSalesLine.id_product)
        .where(
            TSales.status == SalesStatus.PAID,
            _in(period),
            managed_by_caller(scope, Product.id_author),
        )
        .group_by(Product.id, Product.name)
        .order_by(revenue.desc(), Product.id)
        .limit(TOP_BOOKS)
    )
    return list((await scope.db.execute(query)).mappings())


def month_starts(end: dt.datetime, months: int = MONTHS) -> list[dt.datetime]:
    """The first instants (UTC) of the ``months`` calendar months up to ``end``'s, plus the
    start of the month after, oldest first."""
    year, month = end.year, end.month
    starts = []
    for back in range(months - 1, -2, -1):
        index = year * 12 + (month - 1) - back
        starts.append(dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=dt.UTC))
    return starts


async def _monthly(scope: Scope, end: dt.datetime) -> list[dict[str, Any]]:
    starts = month_starts(end)
    columns = []
    for index, (first, after) in enumerate(pairwise(starts)):
        inside = and_(TSales.paid_at >= first, TSales.paid_at < after)
        columns.append(
            func.count(func.distinct(case((inside, TSales.id)))).label(f"orders_{index}")
        )
        columns.append(_total(case((inside, _revenue()))).label(f"revenue_{index}"))
    window = Period(starts[0], starts[-1])
    row = await scope.db.execute(_own_sales(scope).add_columns(*columns).where(_in(window)))
    found = row.mappings().one()
    return [
        {
            "month": first.strftime("%Y-%m"),
            "orders": found[f"orders_{index}"],
            "revenue": found[f"revenue_{index}"],
        }
        for index, first in enumerate(starts[:-1])
    ]


async def stats(scope: Scope, period: Period) -> Dashboard:
    """The caller's dashboard for ``period`` (monthly totals: the twelve months to its end)."""
    return Dashboard(
        counts=await _counts(scope),
        sales=await _period_sales(scope, period),
        recent=await _recent(scope),
        top_books=await _top_books(scope, period),
        monthly=await _monthly(scope, period.end),
    )
