"""Input and output models of the portal dashboard."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict


class DashboardQuery(BaseModel):
    """The period of the sales figures: ``[start, end)``, by default the last 30 days."""

    model_config = ConfigDict(extra="forbid")

    start: AwareDatetime | None = None
    end: AwareDatetime | None = None


class PeriodView(BaseModel):
    start: dt.datetime
    end: dt.datetime


class CatalogueCounts(BaseModel):
    """Live books (all, published), products, bundles and chapters."""

    books: int
    books_published: int
    products: int
    bundles: int
    chapters: int


class SalesTotals(BaseModel):
    """Paid orders, items and revenue (after promo discounts) of the period."""

    orders: int
    items: int
    revenue: Decimal


class RecentSale(BaseModel):
    """One paid line (never who bought it)."""

    id: uuid.UUID
    paid_at: dt.datetime
    kind: Literal["product", "bundle"]
    item_id: uuid.UUID
    item_name: str
    qty: int
    revenue: Decimal


class TopBook(BaseModel):
    """A product by revenue in the period."""

    id_product: uuid.UUID
    name: str
    items: int
    revenue: Decimal


class MonthSales(BaseModel):
    """Paid orders and revenue of one calendar month (``YYYY-MM``, UTC)."""

    month: str
    orders: int
    revenue: Decimal


class DashboardStats(BaseModel):
    period: PeriodView
    counts: CatalogueCounts
    sales: SalesTotals
    recent_sales: list[RecentSale]
    top_books: list[TopBook]
    monthly: list[MonthSales]
