"""Input and output models of the customer's orders: history, trx and purchase_history."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from esensi.api.main.catalog_schemas import PageNumber

# The order statuses a customer sees (never ``cart``); the history page adds ``all``.
OrderStatus = Literal["pending", "paid", "expired", "cancelled", "denied", "failed", "refunded"]
HistoryStatus = Literal[
    "all", "pending", "paid", "expired", "cancelled", "denied", "failed", "refunded"
]


class HistoryQuery(BaseModel):
    """A status of the vocabulary (``all``: every status) and a page number."""

    model_config = ConfigDict(extra="ignore")

    status: HistoryStatus = "all"
    page: PageNumber = 1


class TrxQuery(BaseModel):
    """One order by id."""

    model_config = ConfigDict(extra="ignore")

    id: uuid.UUID


class PurchaseQuery(BaseModel):
    """Filters of the purchase list: status, and a day range (UTC, both ends included) on
    when the order was placed."""

    model_config = ConfigDict(extra="forbid")

    status: OrderStatus | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: PageNumber = 1
    limit: int = Field(default=20, ge=1, le=100)
    # The original client sent the caller here; identity comes from the session only.
    user: Any = Field(default=None, exclude=True, description="ignored")


class OrderSummary(BaseModel):
    """An order as a list shows it."""

    id: uuid.UUID
    status: str
    midtrans_order_id: str | None
    currency: str | None
    subtotal: Decimal
    discount_total: Decimal
    total: Decimal
    promo_code: str | None
    payment_type: str | None
    placed_at: dt.datetime
    paid_at: dt.datetime | None
    expires_at: dt.datetime | None


class HistoryItem(OrderSummary):
    line_count: int


class OrderLine(BaseModel):
    """A product or bundle of an order, as priced at checkout, with its promo share."""

    id: uuid.UUID
    id_product: uuid.UUID | None
    id_bundle: uuid.UUID | None
    kind: Literal["product", "bundle"]
    name: str | None
    slug: str | None
    cover: str | None
    unit_price: Decimal
    qty: int
    total_price: Decimal
    discount_amount: Decimal

    @classmethod
    def of(cls, row: Any) -> OrderLine:
        values = dict(row)
        return cls(**values, kind="product" if values["id_product"] else "bundle")


class Purchase(OrderSummary):
    """An order with its lines."""

    lines: list[OrderLine]


class Payment(BaseModel):
    """Where the payment stands; the Snap page link only while the order is pending."""

    status: str
    payment_type: str | None
    fraud_status: str | None
    paid_at: dt.datetime | None
    expires_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    refunded_at: dt.datetime | None
    snap_redirect_url: str | None


class OrderDetail(Purchase):
    """One order: header, lines, promo and payment state."""

    id_promo_code: uuid.UUID | None
    payment: Payment
