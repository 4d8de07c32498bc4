"""How the portal reads own bundles: one bundle with chosen includes, and the rich search."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, String, exists, func, literal, or_, select

from esensi.models.bundle import Bundle, BundleCategory, BundleProduct
from esensi.models.enums import SalesStatus
from esensi.models.product import Product
from esensi.models.sales import TSales, TSalesLine
from esensi.services import category_links
from esensi.services.catalogue_owner import owner_ids
from rlib import Scope
from rlib.crud.query import escape_like

RECENT_SALES = 10
COLUMNS = [c for c in Bundle.__table__.c if c.key != "cfg"]


def bundle_columns(bundle: Bundle) -> dict[str, Any]:
    """The bundle's public columns."""
    return {c.key: getattr(bundle, c.key) for c in COLUMNS}


async def describe(scope: Scope, bundle: Bundle, include: Collection[str]) -> dict[str, Any]:
    """The bundle with each asked include (``products``, ``categories``, ``sales``), else null.

    One query per include, whatever the number of rows.
    """
    view: dict[str, Any] = {**bundle_columns(bundle), "products": None, "categories": None}
    view["sales"] = None
    if "products" in include:
        view["products"] = await _products(scope, bundle.id)
    if "categories" in include:
        found = await category_links.of(scope, BundleCategory, "id_bundle", [bundle.id])
        view["categories"] = found[bundle.id]
    if "sales" in include:
        view["sales"] = await _recent_sales(scope, bundle.id)
    return view


async def _products(scope: Scope, bundle_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await scope.db.execute(
        select(
            Product.id,
            Product.name,
            Product.slug,
            Product.status,
            Product.real_price,
            BundleProduct.qty,
        )
        .join(BundleProduct, BundleProduct.id_product == Product.id)
        .where(BundleProduct.id_bundle == bundle_id)
        .order_by(Product.name, Product.id)
    )
    return [dict(row) for row in rows.mappings()]


async def _recent_sales(scope: Scope, bundle_id: uuid.UUID) -> list[dict[str, Any]]:
    # Paid lines only, and nothing about the buyer.
    rows = await scope.db.execute(
        select(
            TSalesLine.id_sales,
            TSalesLine.qty,
            TSalesLine.unit_price,
            TSalesLine.total_price,
            TSales.paid_at,
        )
        .join(TSales, TSales.id == TSalesLine.id_sales)
        .where(TSalesLine.id_bundle == bundle_id, TSales.status == SalesStatus.PAID)
        .order_by(TSales.paid_at.desc(), TSalesLine.id)
        .limit(RECENT_SALES)
    )
    return [dict(row) for row in rows.mappings()]


@dataclass(frozen=True, slots=True)
class BundleQuery:
    """The search's criteria (each optional), sort key and page."""

    text: str | None = None
    statuses: Sequence[str] | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    has_products: bool | None = None
    has_categories: bool | None = None
    ids: Sequence[uuid.UUID] | None = None
    sort: str = "-created_at"
    page: int = 1
    limit: int = 20


def _sold() -> Any:  # a labelled scalar subquery: copies sold in paid orders
    return (
        select(func.coalesce(func.sum(TSalesLine.qty), 0))
        .join(TSales, TSales.id == TSalesLine.id_sales)
        .where(TSalesLine.id_bundle == Bundle.id, TSales.status == SalesStatus.PAID)
        .correlate(Bundle)
        .scalar_subquery()
        .label("sales")
    )


def _conditions(owners: list[uuid.UUID], query: BundleQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Bundle.id_author.in_(owners), Bundle.deleted_at.is_(None)]
    if query.text:
        # a pattern is no column value: plain text, so the column's length limit does not apply
        pattern = literal(f"%{escape_like(query.text)}%", String())
        where.append(
            or_(*(c.ilike(pattern, escape="\\") for c in (Bundle.name, Bundle.slug, Bundle.desc)))
        )
    if query.statuses:
        where.append(Bundle.status.in_(list(query.statuses)))
    if query.price_min is not None:
        where.append(Bundle.real_price >= query.price_min)
    if query.price_max is not None:
        where.append(Bundle.real_price <= query.price_max)
    if query.ids:
        where.append(Bundle.id.in_(list(query.ids)))
    for flag, link in ((query.has_products, BundleProduct), (query.has_categories, BundleCategory)):
        if flag is not None:
            held = exists().where(link.id_bundle == Bundle.id)
            where.append(held if flag else ~held)
    return where


def _ordered(stmt: Select[Any], sold: Any, sort: str) -> Select[Any]:
    key = sort.lstrip("-")
    column = {"name": Bundle.name, "price": Bundle.real_price, "sales": sold}.get(
        key, Bundle.created_at
    )
    direction = column.desc() if sort.startswith("-") else column.asc()
    return stmt.order_by(direction, Bundle.id)


async def search(scope: Scope, query: BundleQuery) -> tuple[list[dict[str, Any]], int]:
    """One page of own bundles matching every given criterion, and their total: two queries."""
    where = _conditions(await owner_ids(scope), query)
    total = await scope.db.scalar(select(func.count()).select_from(Bundle).where(*where))
    sold = _sold()
    stmt = select(*COLUMNS, sold).where(*where)
    rows = await scope.db.execute(
        _ordered(stmt, sold, query.sort).limit(query.limit).offset((query.page - 1) * query.limit)
    )
    return [dict(row) for row in rows.mappings()], int(total or 0)
