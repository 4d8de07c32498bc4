"""What an order's move writes, in the move's own transaction (spec/workflows.md §4.5 step 6).

Paid: entitlements (bundles expanded; insert-if-absent, a revoked one granted again), one
``sale`` ledger row per line and owner (insert … on conflict do nothing), the newly owned
products out of the customer's cart, ``payment-success`` notification and email, and an
``order-update`` to each owner. Refunded: entitlements revoked, one negative ``refund`` row per
``sale`` row, ``order-update`` + ``refund-processed``. Expired / cancelled / denied / failed:
promo usage released, ``order-update`` and the matching email.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from esensi.models.entitlement import TSalesDownload
from esensi.models.enums import LedgerType, SalesStatus
from esensi.models.ledger import Transaction
from esensi.models.sales import TSales, TSalesLine
from esensi.services import order_notices, promo_usage
from esensi.services.order_ledger import Credit, contents
from rlib import Scope
from rlib.db.ids import uuid7

if TYPE_CHECKING:
    from esensi.services.order_state import Moved

S = SalesStatus
RELEASES_PROMO = (S.EXPIRED, S.CANCELLED, S.DENIED, S.FAILED)


def _insert(scope: Scope, table: Any) -> Any:
    dialect = postgresql if scope.db.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


async def after_move(scope: Scope, moved: Moved, *, reason: str | None, now: dt.datetime) -> None:
    """The effects of ``moved``, run once: only the request that moved the row calls this."""
    if moved.to_status == S.PAID:
        await _paid(scope, moved, now)
    elif moved.to_status == S.REFUNDED:
        await _refunded(scope, moved, now)
    elif moved.to_status in RELEASES_PROMO:
        # Late settlement can revive an expired order: only a move out of pending releases.
        if moved.from_status == S.PENDING:
            await promo_usage.release_promo_usage(scope.db, moved.id, now=now)
        await order_notices.order_ended(scope, moved, reason=reason)


async def _paid(scope: Scope, moved: Moved, now: dt.datetime) -> None:
    order = await contents(scope, moved.id)
    if order.products:
        await _entitle(scope, moved, order.products, now)
        await _clear_cart(scope, moved.id_customer, order.products)
    inserted = await _credit(scope, moved, order.owed)
    await order_notices.paid(scope, moved, order.lines, now=now)
    await order_notices.sold(scope, inserted)


async def _entitle(scope: Scope, moved: Moved, products: list[uuid.UUID], now: dt.datetime) -> None:
    table = TSalesDownload.__table__
    rows = [
        {"id": uuid7(), "id_customer": moved.id_customer, "id_product": p, "id_sales": moved.id}
        for p in products
    ]
    statement = _insert(scope, table).values(rows)
    # A refunded purchase bought again is granted again; a live one is left alone.
    statement = statement.on_conflict_do_update(
        index_elements=["id_customer", "id_product"],
        set_={"revoked_at": None, "id_sales": moved.id, "granted_at": now, "updated_at": now},
        where=table.c.revoked_at.is_not(None),
    )
    await scope.db.execute(statement)


async def _clear_cart(scope: Scope, customer_id: uuid.UUID, products: list[uuid.UUID]) -> None:
    carts = select(TSales.id).where(
        TSales.id_customer == customer_id,
        TSales.status == S.CART.value,
        TSales.deleted_at.is_(None),
    )
    await scope.db.execute(
        delete(TSalesLine)
        .where(TSalesLine.id_sales.in_(carts), TSalesLine.id_product.in_(products))
        .execution_options(synchronize_session=False)
    )


async def _credit(scope: Scope, moved: Moved, owed: list[Credit]) -> list[Credit]:
    """One ``sale`` row per (line, owner); returns the owed this call actually wrote."""
    if not owed:
        return []
    table = Transaction.__table__
    rows = [
        {
            "id": uuid7(),
            "type": LedgerType.SALE.value,
            "amount": credit.amount,
            "id_sales": moved.id,
            "id_sales_line": credit.line.id,
            "id_publisher": credit.owner[1] if credit.owner[0] == "publisher" else None,
            "id_author": credit.owner[1] if credit.owner[0] == "author" else None,
        }
        for credit in owed
    ]
    statement = _insert(scope, table).values(rows).on_conflict_do_nothing()
    written = {row[0] for row in await scope.db.execute(statement.returning(table.c.id))}
    return [credit for credit, row in zip(owed, rows, strict=True) if row["id"] in written]


async def _refunded(scope: Scope, moved: Moved, now: dt.datetime) -> None:
    await scope.db.execute(
        update(TSalesDownload)
        .where(TSalesDownload.id_sales == moved.id, TSalesDownload.revoked_at.is_(None))
        .values(revoked_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    sales = (
        await scope.db.execute(
            select(
                Transaction.id_sales_line,
                Transaction.amount,
                Transaction.id_publisher,
                Transaction.id_author,
            ).where(Transaction.id_sales == moved.id, Transaction.type == LedgerType.SALE.value)
        )
    ).all()
    if sales:
        rows = [
            {
                "id": uuid7(),
                "type": LedgerType.REFUND.value,
                "amount": -amount,
                "id_sales": moved.id,
                "id_sales_line": line,
                "id_publisher": publisher,
                "id_author": author,
            }
            for line, amount, publisher, author in sales
        ]
        table = Transaction.__table__
        await scope.db.execute(_insert(scope, table).values(rows).on_conflict_do_nothing())
    await order_notices.order_ended(scope, moved, reason=None)
