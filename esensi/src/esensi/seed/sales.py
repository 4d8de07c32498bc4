"""Demo carts and orders as rows: t_sales, lines, promo usage and the Midtrans event log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from esensi.models.enums import FraudStatus, MidtransEventType, MidtransOutcome, SalesStatus
from esensi.models.promo import PromoCodeUsage
from esensi.models.sales import Midtrx, TSales, TSalesLine
from esensi.seed.clock import at
from esensi.seed.keys import seed_id
from esensi.seed.orders import OWNED, RELEASED, OrderPlan
from esensi.seed.runner import Tables

if TYPE_CHECKING:
    from esensi.seed.world import Block

S = SalesStatus
PAYMENT_TYPES = ("bank_transfer", "gopay", "qris", "credit_card", "shopeepay", "echannel")
# The notification Midtrans sends for each final status: (transaction_status, status_code).
NOTIFIED = {
    S.PAID: ("settlement", "200"),
    S.REFUNDED: ("settlement", "200"),
    S.EXPIRED: ("expire", "407"),
    S.DENIED: ("deny", "202"),
}


def _snapshot(order: OrderPlan, transaction_status: str) -> dict[str, Any]:
    return {
        "order_id": order.midtrans_order_id,
        "transaction_status": transaction_status,
        "gross_amount": str(order.subtotal - order.discount),
        "payment_type": _payment_type(order),
    }


def _payment_type(order: OrderPlan) -> str | None:
    if order.status in (S.CART, S.PENDING, S.FAILED, S.CANCELLED):
        return None
    return PAYMENT_TYPES[order.id.int % len(PAYMENT_TYPES)]


def _order_row(order: OrderPlan) -> dict[str, Any]:
    status, login = order.status, order.customer.login
    checked_out = status != S.CART
    return {
        "id": order.id,
        "id_customer": order.customer.id,
        "status": status.value,
        "subtotal": order.subtotal,
        "discount_total": order.discount,
        "total": order.subtotal - order.discount,
        "currency": "IDR",
        "id_promo_code": order.promo.id if order.promo else None,
        "promo_code": order.promo.code if order.promo else None,
        "info": {"customer": {"first_name": login.name, "email": login.email}}
        if checked_out
        else None,
        "midtrans_order_id": order.midtrans_order_id,
        "snap_token": None,
        "snap_redirect_url": f"https://app.sandbox.midtrans.com/snap/v4/redirection/{order.id.hex}"
        if checked_out and status != S.FAILED
        else None,
        "payment_type": _payment_type(order),
        "fraud_status": FraudStatus.DENY.value
        if status == S.DENIED
        else FraudStatus.ACCEPT.value
        if status in OWNED
        else None,
        "midtrans_success": _snapshot(order, "settlement") if status in OWNED else None,
        "midtrans_pending": _snapshot(order, "pending") if status == S.PENDING else None,
        "midtrans_error": _snapshot(order, NOTIFIED[status][0])
        if status in (S.EXPIRED, S.DENIED)
        else None,
        "checkout_at": order.checkout_at,
        "paid_at": order.paid_at,
        "expires_at": at(order.day + 1) if checked_out else None,
        "cancelled_at": order.ended_at if status == S.CANCELLED else None,
        "refunded_at": order.ended_at if status == S.REFUNDED else None,
        "version": 1 if status == S.CART else 3,
        "deleted_at": None,
        "created_at": at(order.day - 0.1),
        "updated_at": order.ended_at if checked_out else at(order.day),
    }


def _line_rows(order: OrderPlan) -> list[dict[str, Any]]:
    return [
        {
            "id": line.id,
            "id_sales": order.id,
            "id_product": line.book.product_id if line.book else None,
            "id_bundle": line.bundle.id if line.bundle else None,
            "unit_price": line.unit_price,
            "qty": 1,
            "total_price": line.total,
            "discount_amount": line.discount,
            "created_at": at(order.day - 0.1),
        }
        for line in order.lines
    ]


def _midtrx(
    order: OrderPlan, kind: MidtransEventType, status: str | None, **extra: Any
) -> dict[str, Any]:
    code = (
        NOTIFIED.get(order.status, (None, None))[1]
        if kind == MidtransEventType.NOTIFICATION
        else None
    )
    row = {
        "id": seed_id("midtrx", f"{order.id}:{kind}:{status}:{extra.get('signature_valid')}"),
        "type": kind.value,
        "order_id": order.midtrans_order_id,
        "transaction_id": str(seed_id("midtrans-transaction", str(order.id))),
        "transaction_status": status,
        "status_code": code,
        "gross_amount": order.subtotal - order.discount,
        "signature_valid": kind == MidtransEventType.NOTIFICATION or None,
        "outcome": MidtransOutcome.APPLIED.value,
        "received_count": 1,
        "payload": {"order_id": order.midtrans_order_id, "transaction_status": status},
        "created_at": order.ended_at if kind != MidtransEventType.SNAP else at(order.day),
    }
    return row | extra


def _events(order: OrderPlan) -> list[dict[str, Any]]:
    """What the gateway log holds for an order: Snap creation, then notifications or staff."""
    if order.status == S.CART:
        return []
    if order.status == S.FAILED:
        error = {"error_messages": ["transaction_details.gross_amount is not equal"]}
        return [_midtrx(order, MidtransEventType.SNAP, None, outcome="error", payload=error)]
    events = [_midtrx(order, MidtransEventType.SNAP, "pending")]
    if order.status in NOTIFIED:
        # Midtrans retries until it gets a 200, so paid orders were often notified twice.
        replays = 2 if order.id.int % 3 == 0 else 1
        events.append(
            _midtrx(
                order,
                MidtransEventType.NOTIFICATION,
                NOTIFIED[order.status][0],
                received_count=replays,
            )
        )
    if order.status == S.CANCELLED:
        events.append(_midtrx(order, MidtransEventType.ADMIN, "cancel"))
    if order.status == S.REFUNDED:
        events.append(_midtrx(order, MidtransEventType.ADMIN, "refund"))
    if order.status == S.PAID and order.id.int % 5 == 0:
        # A forged notification: bad signature, recorded and refused.
        events.append(
            _midtrx(
                order,
                MidtransEventType.NOTIFICATION,
                "settlement",
                transaction_id=None,
                signature_valid=False,
                outcome="rejected",
                gross_amount=None,
            )
        )
    return events


def _usage_row(order: OrderPlan) -> dict[str, Any]:
    assert order.promo is not None
    return {
        "id": seed_id("promo_code_usage", str(order.id)),
        "id_promo_code": order.promo.id,
        "id_sales": order.id,
        "id_customer": order.customer.id,
        "discount_amount": order.discount,
        "created_at": at(order.day),
        "released_at": order.ended_at if order.status in RELEASED else None,
    }


def seed_sales(block: Block) -> Tables:
    orders = block.orders
    tables: Tables = [(TSales, [_order_row(o) for o in orders])]
    tables.append((TSalesLine, [row for o in orders for row in _line_rows(o)]))
    usages = [_usage_row(o) for o in orders if o.promo]
    tables.append((PromoCodeUsage, usages))
    return [*tables, (Midtrx, [row for o in orders for row in _events(o)])]
