"""The customer's own profile: read with its counts, and the fields a customer may change."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy import func, select, update
from sqlalchemy.engine import RowMapping

from esensi.models.customer import Customer
from esensi.models.entitlement import TSalesDownload
from esensi.models.enums import SalesStatus
from esensi.models.sales import TSales
from rlib import NotFoundError, Scope
from rlib.errors import StaleVersionError

EDITABLE = frozenset({"name", "whatsapp"})


async def read(scope: Scope, customer_id: uuid.UUID) -> RowMapping:
    """The live profile with its order and library counts, in one statement; 404 when gone."""
    orders = (
        select(func.count())
        .select_from(TSales)
        .where(
            TSales.id_customer == customer_id,
            TSales.status != SalesStatus.CART,
            TSales.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    library = (
        select(func.count())
        .select_from(TSalesDownload)
        .where(TSalesDownload.id_customer == customer_id, TSalesDownload.revoked_at.is_(None))
        .scalar_subquery()
    )
    rows = await scope.db.execute(
        select(
            Customer.id,
            Customer.name,
            Customer.email,
            Customer.whatsapp,
            Customer.version,
            Customer.created_at,
            orders.label("orders"),
            library.label("library"),
        ).where(Customer.id == customer_id, Customer.deleted_at.is_(None))
    )
    row = rows.mappings().first()
    if row is None:
        raise NotFoundError("resource.customer")
    return row


async def change(
    scope: Scope, customer_id: uuid.UUID, changes: Mapping[str, object], *, version: int
) -> None:
    """Write ``changes`` (name, whatsapp) when the profile is still at ``version``; else 409."""
    if set(changes) - EDITABLE:
        raise ValueError(f"not editable: {sorted(set(changes) - EDITABLE)}")
    result = await scope.db.execute(
        update(Customer)
        .where(
            Customer.id == customer_id,
            Customer.version == version,
            Customer.deleted_at.is_(None),
        )
        .values(**changes, version=Customer.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]  # CursorResult of an UPDATE
        return
    await read(scope, customer_id)  # 404 when the profile is gone
    raise StaleVersionError()
