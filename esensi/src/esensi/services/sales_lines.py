"""Sold lines of the caller's products and bundles (publish ``t_sales_line_list``).

Scoped like the rest of the portal (services/ownership.py): an author sees the lines of their
own items, a publisher those of its actively linked authors. Only paid orders count, and no
customer column is ever selected: the portal learns what sold, never who bought it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.engine import RowMapping

from esensi.models.bundle import Bundle
from esensi.models.enums import SalesStatus
from esensi.models.product import Product
from esensi.models.sales import TSales, TSalesLine
from esensi.services.ownership import managed_by_caller
from rlib import NotFoundError, Scope


@dataclass(frozen=True, slots=True)
class LinesPage:
    rows: list[RowMapping]
    total: int


async def _require_own(scope: Scope, model: type[Product] | type[Bundle], key: uuid.UUID) -> None:
    # A filter on an item the caller does not manage answers like an unknown id.
    found = await scope.db.scalar(
        select(model.id).where(model.id == key, managed_by_caller(scope, model.id_author))
    )
    if found is None:
        raise NotFoundError("resource.product" if model is Product else "resource.bundle")


async def page(
    scope: Scope,
    *,
    product: uuid.UUID | None,
    bundle: uuid.UUID | None,
    limit: int,
    offset: int,
) -> LinesPage:
    """Count and page in two statements (three with an item filter), newest payment first."""
    if product is not None:
        await _require_own(scope, Product, product)
    if bundle is not None:
        await _require_own(scope, Bundle, bundle)
    where: list[ColumnElement[bool]] = [
        TSales.status == SalesStatus.PAID.value,
        managed_by_caller(scope, func.coalesce(Product.id_author, Bundle.id_author)),
    ]
    if product is not None:
        where.append(TSalesLine.id_product == product)
    if bundle is not None:
        where.append(TSalesLine.id_bundle == bundle)
    joined = (
        select(TSalesLine.id)
        .join(TSales, TSales.id == TSalesLine.id_sales)
        .outerjoin(Product, Product.id == TSalesLine.id_product)
        .outerjoin(Bundle, Bundle.id == TSalesLine.id_bundle)
        .where(*where)
    )
    total = await scope.db.scalar(select(func.count()).select_from(joined.subquery()))
    rows = await scope.db.execute(
        joined.with_only_columns(
            TSalesLine.id,
            TSalesLine.id_sales,
            TSalesLine.id_product,
            TSalesLine.id_bundle,
            func.coalesce(Product.name, Bundle.name).label("item_name"),
            TSales.status.label("order_status"),
            TSales.paid_at,
            TSalesLine.unit_price,
            TSalesLine.qty,
            TSalesLine.total_price,
            TSalesLine.discount_amount,
            maintain_column_froms=True,
        )
        .order_by(TSales.paid_at.desc(), TSalesLine.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return LinesPage(rows=list(rows.mappings()), total=total or 0)
