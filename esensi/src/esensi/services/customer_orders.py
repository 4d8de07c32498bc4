"""The customer's own orders (never the cart): history pages, one order's detail, and the
purchase list with lines.

Every query is scoped to the caller's customer id in its WHERE clause, so another customer's
order and a missing one are the same "not found". Each list is a count, a page and (when lines
are asked for) one statement for the lines of the whole page: no N+1.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import RowMapping

from esensi.models.bundle import Bundle
from esensi.models.enums import SalesStatus
from esensi.models.product import Product
from esensi.models.sales import TSales, TSalesLine
from esensi.services.catalog import Listing
from rlib import NotFoundError, Scope

# When the customer placed the order: checkout time (the cart row's created_at is older).
placed_at = func.coalesce(TSales.checkout_at, TSales.created_at)


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Which of the customer's orders: one status (None: all) and a UTC day range."""

    status: SalesStatus | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _own_orders(customer_id: uuid.UUID) -> tuple[ColumnElement[bool], ...]:
    return (
        TSales.id_customer == customer_id,
        TSales.status != SalesStatus.CART,
        TSales.deleted_at.is_(None),
    )


def _conditions(customer_id: uuid.UUID, wanted: OrderFilter) -> list[ColumnElement[bool]]:
    where = list(_own_orders(customer_id))
    if wanted.status is not None:
        where.append(TSales.status == wanted.status)
    if wanted.date_from is not None:
        where.append(placed_at >= _midnight(wanted.date_from))
    if wanted.date_to is not None:  # inclusive: up to the end of that day
        where.append(placed_at < _midnight(wanted.date_to) + dt.timedelta(days=1))
    return where


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _line_count() -> Any:
    return (
        select(func.count())
        .where(TSalesLine.id_sales == TSales.id)
        .correlate(TSales)
        .scalar_subquery()
        .label("line_count")
    )


def _summary_columns() -> tuple[Any, ...]:
    return (
        TSales.id,
        TSales.status,
        TSales.midtrans_order_id,
        TSales.currency,
        TSales.subtotal,
        TSales.discount_total,
        TSales.total,
        TSales.promo_code,
        TSales.payment_type,
        placed_at.label("placed_at"),
        TSales.paid_at,
        TSales.expires_at,
    )


async def orders(
    scope: Scope, customer_id: uuid.UUID, wanted: OrderFilter, *, page: int, limit: int
) -> Listing:
    """One page of the customer's orders, newest first, each with its number of lines."""
    where = _conditions(customer_id, wanted)
    total = await scope.db.scalar(select(func.count()).select_from(TSales).where(*where))
    rows = await scope.db.execute(
        select(*_summary_columns(), _line_count())
        .where(*where)
        .order_by(placed_at.desc(), TSales.id)
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return Listing(rows=rows.mappings().all(), total=total or 0)


async def order(scope: Scope, customer_id: uuid.UUID, order_id: uuid.UUID) -> RowMapping:
    """The customer's order with its payment state; 404 for a cart or another's order."""
    row = (
        await scope.db.execute(
            select(
                *_summary_columns(),
                TSales.id_promo_code,
                TSales.fraud_status,
                TSales.snap_redirect_url,
                TSales.cancelled_at,
                TSales.refunded_at,
            ).where(TSales.id == order_id, *_own_orders(customer_id))
        )
    ).first()
    if row is None:
        raise NotFoundError("resource.order")
    return row._mapping


async def lines_of(scope: Scope, order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """The lines of these orders (one statement), with the product's or bundle's name, slug
    and cover, by order id, in the order they were added."""
    found: dict[uuid.UUID, list[Any]] = {order_id: [] for order_id in order_ids}
    if not order_ids:
        return found
    rows = await scope.db.execute(
        select(
            TSalesLine.id,
            TSalesLine.id_sales,
            TSalesLine.id_product,
            TSalesLine.id_bundle,
            func.coalesce(Product.name, Bundle.name).label("name"),
            func.coalesce(Product.slug, Bundle.slug).label("slug"),
            func.coalesce(Product.cover, Bundle.cover).label("cover"),
            TSalesLine.unit_price,
            TSalesLine.qty,
            TSalesLine.total_price,
            TSalesLine.discount_amount,
        )
        .outerjoin(Product, Product.id == TSalesLine.id_product)
        .outerjoin(Bundle, Bundle.id == TSalesLine.id_bundle)
        .where(TSalesLine.id_sales.in_(order_ids))
        .order_by(TSalesLine.created_at, TSalesLine.id)
    )
    for line in rows.mappings():
        found[line["id_sales"]].append(line)
    return found
