"""Notifications and emails of an order's moves (spec/workflows.md §6 and §7), written in the
move's transaction: the rows commit with it, the push and the SMTP send happen after."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from esensi.emails import (
    OrderItem,
    PaymentExpired,
    PaymentFailed,
    PaymentSuccess,
    RefundProcessed,
    send_main_email,
)
from esensi.models.auth import AuthUser
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.enums import NotifType, SalesStatus
from esensi.models.publisher import Publisher
from esensi.services.notifications import send_many, send_notif
from esensi.services.order_ledger import Credit, Line
from esensi.services.site_links import site_url
from rlib import Scope
from rlib.i18n import Lang

if TYPE_CHECKING:
    from esensi.services.order_state import Moved

S = SalesStatus
MESSAGE_MAX = 1000  # notif.message
LABELS: dict[str, dict[str, str]] = {
    "id": {
        S.PAID: "dibayar",
        S.EXPIRED: "kedaluwarsa",
        S.CANCELLED: "dibatalkan",
        S.DENIED: "ditolak",
        S.FAILED: "gagal",
        S.REFUNDED: "dikembalikan",
    },
    "en": {
        S.PAID: "paid",
        S.EXPIRED: "expired",
        S.CANCELLED: "cancelled",
        S.DENIED: "denied",
        S.FAILED: "failed",
        S.REFUNDED: "refunded",
    },
}
TEXTS = {
    "paid": {
        "id": "Pembayaran pesanan {order} berhasil",
        "en": "Payment for order {order} succeeded",
    },
    "changed": {"id": "Status pesanan {order}: {status}", "en": "Order {order} status: {status}"},
    "sold": {"id": "{product} terjual ({amount})", "en": "{product} sold ({amount})"},
}


def rupiah(amount: Decimal) -> str:
    """``Rp45.000``: Indonesian thousands separator, no cents."""
    return "Rp" + f"{Decimal(amount):,.0f}".replace(",", ".")


def _lang(locale: str | None) -> Lang:
    return "en" if locale == "en" else "id"


async def _customer(
    scope: Scope, customer_id: uuid.UUID
) -> tuple[str, uuid.UUID, str, Lang] | None:
    found = (
        await scope.db.execute(
            select(Customer.name, AuthUser.id, AuthUser.email, AuthUser.locale)
            .join(AuthUser, AuthUser.id == Customer.id_user)
            .where(Customer.id == customer_id, AuthUser.deleted_at.is_(None))
        )
    ).first()
    if found is None:
        return None
    name, user_id, email, locale = found
    return str(name), user_id, str(email), _lang(locale)


async def paid(scope: Scope, moved: Moved, lines: list[Line], *, now: dt.datetime) -> None:
    """``payment-success`` notification and email to the customer (once per order)."""
    customer = await _customer(scope, moved.id_customer)
    if customer is None:
        return
    name, user_id, email, lang = customer
    order = moved.order_id or str(moved.id)
    message = TEXTS["paid"][lang].format(order=order)
    content = {
        "type": NotifType.PAYMENT_SUCCESS.value,
        "message": message[:MESSAGE_MAX],
        "url": f"/trx/{moved.id}",
        "data": {"order_id": str(moved.id)},
    }
    await send_notif(scope, user_id, {"notif": content})
    items = [
        OrderItem(name=line.name or "-", qty=line.qty, price=line.total_price) for line in lines
    ]
    await send_main_email(
        scope,
        to=email,
        template_alias="payment-success",
        template_model=PaymentSuccess(
            name=name,
            order_id=order,
            items=items,
            total=Decimal(moved.total),
            paid_at=now,
            library_url=site_url(scope, "main", "/library"),
        ),
        lang=lang,
        dedupe_key=f"payment-success:{moved.id}",
    )


async def sold(scope: Scope, owed: list[Credit]) -> None:
    """``order-update`` "item sold" to each credited owner's login."""
    if not owed:
        return
    publishers = {c.owner[1] for c in owed if c.owner[0] == "publisher"}
    authors = {c.owner[1] for c in owed if c.owner[0] == "author"}
    users: dict[tuple[str, uuid.UUID], tuple[uuid.UUID, Lang]] = {}
    for kind, table, ids in (("publisher", Publisher, publishers), ("author", Author, authors)):
        if not ids:
            continue
        rows = await scope.db.execute(
            select(table.id, AuthUser.id, AuthUser.locale)
            .join(AuthUser, AuthUser.id == table.id_user)
            .where(table.id.in_(ids), AuthUser.deleted_at.is_(None))
        )
        users.update({(kind, owner): (user, _lang(locale)) for owner, user, locale in rows})
    for credit in owed:
        found = users.get(credit.owner)
        if found is None:
            continue
        user_id, lang = found
        message = TEXTS["sold"][lang].format(product=credit.line.name, amount=rupiah(credit.amount))
        content = {
            "type": NotifType.ORDER_UPDATE.value,
            "message": message[:MESSAGE_MAX],
            "url": "/transactions",
            "data": {"line_id": str(credit.line.id)},
        }
        await send_many(scope, [user_id], content)


async def order_ended(scope: Scope, moved: Moved, *, reason: str | None) -> None:
    """``order-update`` to the customer, and the email of the new status (none for cancel)."""
    customer = await _customer(scope, moved.id_customer)
    if customer is None:
        return
    name, user_id, email, lang = customer
    order = moved.order_id or str(moved.id)
    status = LABELS[lang][moved.to_status]
    content = {
        "type": NotifType.ORDER_UPDATE.value,
        "message": TEXTS["changed"][lang].format(order=order, status=status)[:MESSAGE_MAX],
        "url": f"/trx/{moved.id}",
        "data": {"order_id": str(moved.id), "status": moved.to_status.value},
    }
    await send_notif(scope, user_id, {"notif": content})
    cart_url = site_url(scope, "main", "/cart")
    model: PaymentExpired | PaymentFailed | RefundProcessed
    if moved.to_status == S.EXPIRED:
        alias, model = (
            "payment-expired",
            PaymentExpired(name=name, order_id=order, cart_url=cart_url),
        )
    elif moved.to_status in (S.DENIED, S.FAILED):
        alias = "payment-failed"
        model = PaymentFailed(name=name, order_id=order, reason=reason or status, cart_url=cart_url)
    elif moved.to_status == S.REFUNDED:
        alias, model = (
            "refund-processed",
            RefundProcessed(name=name, order_id=order, amount=moved.total),
        )
    else:
        return
    await send_main_email(
        scope,
        to=email,
        template_alias=alias,
        template_model=model,
        lang=lang,
        dedupe_key=f"{alias}:{moved.id}",
    )
