"""Input and output models of the global dashboard."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_DAYS = 3660  # ten years
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)


class DashboardQuery(BaseModel):
    """The period: ``start``/``end`` dates (end inclusive), else the last ``days`` days."""

    model_config = ConfigDict(extra="forbid")

    start: dt.date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    end: dt.date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    days: int = Field(default=30, ge=1, le=MAX_DAYS)
    months: int = Field(default=12, ge=1, le=120)

    @model_validator(mode="after")
    def _ordered(self) -> DashboardQuery:
        if self.start and self.end and self.start > self.end:
            raise ValueError("start must not be after end")
        if self.start and self.end and (self.end - self.start).days >= MAX_DAYS:
            raise ValueError(f"the period is at most {MAX_DAYS} days")
        return self


class DashboardCounts(BaseModel):
    customers: int
    authors: int
    publishers: int
    affiliates: int
    books: int
    books_submitted: int
    products_published: int
    orders_paid: int


class PeriodSales(BaseModel):
    """Paid orders of the period: ``[start, end)``."""

    start: dt.datetime
    end: dt.datetime
    orders: int
    revenue: Decimal
    discount: Decimal


class RecentSale(BaseModel):
    id: uuid.UUID
    total: Decimal
    paid_at: dt.datetime | None
    id_customer: uuid.UUID
    customer: str


class TopAuthor(BaseModel):
    id: uuid.UUID
    name: str
    sold: int
    revenue: Decimal


class TopBook(BaseModel):
    id: uuid.UUID
    name: str
    slug: str
    author: str
    sold: int
    revenue: Decimal


class MonthSales(BaseModel):
    month: str
    orders: int
    revenue: Decimal


class DashboardRead(BaseModel):
    counts: DashboardCounts
    period: PeriodSales
    recent: list[RecentSale]
    top_authors: list[TopAuthor]
    top_books: list[TopBook]
    monthly: list[MonthSales]
