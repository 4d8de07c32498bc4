"""Input and output models of the owner's ledger, sales lines and payout requests."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from esensi.models.enums import LedgerType, WithdrawalStatus

# A payout or an adjustment: positive, whole cents, below a trillion rupiah.
PayoutAmount = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Paged(_Input):
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)

    def skip(self) -> int:
        return (self.page - 1) * self.limit


class LedgerQuery(_Paged):
    """A page of the caller's ledger, newest first, optionally of one type."""

    type: LedgerType | None = None


class SalesLineQuery(_Paged):
    """A page of the caller's sold lines, newest order first; optionally of one product or
    bundle (another owner's gives an empty page, like an unknown id)."""

    id_product: uuid.UUID | None = None
    id_bundle: uuid.UUID | None = None


class WithdrawalQuery(_Paged):
    """A page of the caller's payout requests, newest first, optionally of one status."""

    status: WithdrawalStatus | None = None


class WithdrawalRequest(_Input):
    """The amount to pay out; the bank details are taken from the caller's profile."""

    amount: PayoutAmount


class WithdrawalRef(_Input):
    """One of the caller's pending requests."""

    id: uuid.UUID


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class LedgerEntry(_Read):
    id: uuid.UUID
    type: str
    amount: Decimal
    id_sales: uuid.UUID | None
    id_sales_line: uuid.UUID | None
    id_withdrawal: uuid.UUID | None
    info: dict[str, Any] | None
    created_at: dt.datetime


class WithdrawalView(_Read):
    """A request as its owner sees it (the bank account masked to its last four digits)."""

    id: uuid.UUID
    amount: Decimal
    status: str
    requested_at: dt.datetime
    processed_at: dt.datetime | None
    reference: str | None
    note: str | None
    version: int


class OwnWithdrawal(WithdrawalView):
    bank_account_provider: str
    bank_account_masked: str


class LedgerView(BaseModel):
    """The balance (SUM in SQL), the page of ledger rows and the last five requests."""

    balance: Decimal
    withdrawals: list[WithdrawalView]
    items: list[LedgerEntry]
    page: int
    limit: int
    total: int


class SalesLineView(_Read):
    """A sold line of an own product or bundle: no customer data at all."""

    id: uuid.UUID
    id_sales: uuid.UUID
    id_product: uuid.UUID | None
    id_bundle: uuid.UUID | None
    item_name: str
    order_status: str
    paid_at: dt.datetime | None
    unit_price: Decimal
    qty: int
    total_price: Decimal
    discount_amount: Decimal
    net: Decimal
