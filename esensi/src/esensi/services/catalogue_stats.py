"""Sales figures of own products and bundles, computed by the database (never in Python loops)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import ColumnElement, func, select

from esensi.models.bundle import Bundle, BundleProduct
from esensi.models.entitlement import CustomerReader
from esensi.models.enums import SalesStatus
from esensi.models.sales import TSales, TSalesLine
from esensi.services.catalogue_owner import own_product, owner_ids
from rlib import Scope


def _paid_lines(*where: ColumnElement[bool]) -> Any:  # a Select over the paid order lines
    return (
        select(func.coalesce(func.sum(TSalesLine.qty), 0))
        .join(TSales, TSales.id == TSalesLine.id_sales)
        .where(TSales.status == SalesStatus.PAID, *where)
        .scalar_subquery()
    )


async def product(scope: Scope, product_id: uuid.UUID) -> dict[str, int]:
    """Readers, open carts holding it, copies sold alone and inside bundles: one statement."""
    await own_product(scope, product_id)
    reads = (
        select(func.count())
        .select_from(CustomerReader)
        .where(CustomerReader.id_product == product_id)
        .scalar_subquery()
    )
    in_carts = (
        select(func.count())
        .select_from(TSalesLine)
        .join(TSales, TSales.id == TSalesLine.id_sales)
        .where(
            TSalesLine.id_product == product_id,
            TSales.status == SalesStatus.CART,
            TSales.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    holding = select(BundleProduct.id_bundle).where(BundleProduct.id_product == product_id)
    row = (
        await scope.db.execute(
            select(
                reads.label("reads"),
                in_carts.label("in_carts"),
                _paid_lines(TSalesLine.id_product == product_id).label("sold_alone"),
                _paid_lines(TSalesLine.id_bundle.in_(holding)).label("sold_in_bundles"),
            )
        )
    ).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


async def bundles(
    scope: Scope,
    *,
    since: dt.datetime | None,
    until: dt.datetime | None,
    bundle_ids: list[uuid.UUID] | None,
) -> dict[str, Any]:
    """Per own bundle: copies sold, revenue and distinct buyers of paid orders in the period;
    and the number of own bundles by status. Two statements."""
    owners = await owner_ids(scope)
    mine = [Bundle.id_author.in_(owners), Bundle.deleted_at.is_(None)]
    if bundle_ids is not None:
        mine.append(Bundle.id.in_(bundle_ids))
    paid = [TSales.id == TSalesLine.id_sales, TSales.status == SalesStatus.PAID]
    if since is not None:
        paid.append(TSales.paid_at >= since)
    if until is not None:
        paid.append(TSales.paid_at < until)
    sold = (
        select(
            TSalesLine.id_bundle,
            TSalesLine.qty,
            TSalesLine.total_price,
            TSalesLine.discount_amount,
            TSales.id_customer,
        )
        .where(*paid, TSalesLine.id_bundle.is_not(None))
        .subquery()
    )
    rows = await scope.db.execute(
        select(
            Bundle.id,
            Bundle.name,
            Bundle.status,
            func.coalesce(func.sum(sold.c.qty), 0).label("qty"),
            func.coalesce(func.sum(sold.c.total_price - sold.c.discount_amount), 0).label(
                "revenue"
            ),
            func.count(func.distinct(sold.c.id_customer)).label("customers"),
        )
        .outerjoin(sold, sold.c.id_bundle == Bundle.id)
        .where(*mine)
        .group_by(Bundle.id, Bundle.name, Bundle.status)
        .order_by(Bundle.name, Bundle.id)
    )
    per_bundle = [dict(row) for row in rows.mappings()]
    counts = await scope.db.execute(
        select(Bundle.status, func.count()).where(*mine).group_by(Bundle.status)
    )
    return {"bundles": per_bundle, "by_status": {status: int(n) for status, n in counts}}
