"""The customer's own orders: the history pages, one order (trx) and the purchase list.

The customer is the session's; every query carries that id, so another customer's order is
the same 404 as a missing one. Carts are never orders here.
"""

from __future__ import annotations

from esensi.api.main.order_schemas import (
    HistoryItem,
    HistoryQuery,
    OrderDetail,
    OrderLine,
    Payment,
    Purchase,
    PurchaseQuery,
    TrxQuery,
)
from esensi.models.enums import SalesStatus
from esensi.services import customer_orders
from esensi.services.customer_orders import OrderFilter
from rlib import Ctx, FieldError, NotFoundError, Page, ValidationError, define_api
from rlib.auth.users import require_profile

PAGE_SIZE = 20


@define_api(
    name="history",
    url="/history/{status}/{page:int}",
    methods=("GET", "POST"),
    auth={"customer"},
    aliases=("/history/{status}", "/history"),
    page=True,
)
async def history(ctx: Ctx, payload: HistoryQuery) -> Page[HistoryItem]:
    """The caller's orders of one status (``all``: every one), newest first, 20 a page."""
    customer = require_profile(ctx, "customer")
    status = None if payload.status == "all" else SalesStatus(payload.status)
    listing = await customer_orders.orders(
        ctx, customer, OrderFilter(status=status), page=payload.page, limit=PAGE_SIZE
    )
    items = [HistoryItem.model_validate(dict(row)) for row in listing.rows]
    return Page(items=items, page=payload.page, limit=PAGE_SIZE, total=listing.total)


@define_api(
    name="trx",
    url="/trx/{id}",
    methods=("GET", "POST"),
    auth={"customer"},
    page=True,
    errors=(NotFoundError,),
)
async def trx(ctx: Ctx, payload: TrxQuery) -> OrderDetail:
    """One of the caller's orders with its lines, promo and payment state."""
    customer = require_profile(ctx, "customer")
    order = dict(await customer_orders.order(ctx, customer, payload.id))
    lines = await customer_orders.lines_of(ctx, [payload.id])
    pending = order["status"] == SalesStatus.PENDING
    payment = Payment.model_validate(
        {**order, "snap_redirect_url": order["snap_redirect_url"] if pending else None}
    )
    return OrderDetail.model_validate(
        {
            **order,
            "lines": [OrderLine.of(line) for line in lines[payload.id]],
            "payment": payment,
        }
    )


@define_api(
    name="purchase_history",
    url="/api/user/purchases",
    methods=("GET", "POST"),
    auth={"customer"},
)
async def purchase_history(ctx: Ctx, payload: PurchaseQuery) -> Page[Purchase]:
    """The caller's orders with their lines, newest first; filter by status and a day range
    (UTC, both days included) on when the order was placed."""
    customer = require_profile(ctx, "customer")
    if payload.date_from and payload.date_to and payload.date_to < payload.date_from:
        raise ValidationError([FieldError(loc=("body", "date_to"), key="orders.date_range")])
    wanted = OrderFilter(
        status=None if payload.status is None else SalesStatus(payload.status),
        date_from=payload.date_from,
        date_to=payload.date_to,
    )
    listing = await customer_orders.orders(
        ctx, customer, wanted, page=payload.page, limit=payload.limit
    )
    lines = await customer_orders.lines_of(ctx, [row["id"] for row in listing.rows])
    items = [
        Purchase.model_validate({**row, "lines": [OrderLine.of(line) for line in lines[row["id"]]]})
        for row in listing.rows
    ]
    return Page(items=items, page=payload.page, limit=payload.limit, total=listing.total)
