"""Input and output models of the payout queue and ledger adjustments (management)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from esensi.models.enums import WithdrawalStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
# An adjustment: either sign, whole cents, at most one billion rupiah either way.
ADJUST_LIMIT = Decimal(1_000_000_000)
AdjustAmount = Annotated[
    Decimal, Field(ge=-ADJUST_LIMIT, le=ADJUST_LIMIT, max_digits=15, decimal_places=2)
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WithdrawalQueueQuery(_Input):
    """A page of requests, oldest first (the queue), optionally of one status or owner."""

    status: WithdrawalStatus | None = None
    id_publisher: uuid.UUID | None = None
    id_author: uuid.UUID | None = None
    page: int = Field(default=1, ge=1, le=100_000)
    limit: int = Field(default=20, ge=1, le=100)


class WithdrawalDecision(_Input):
    """``paid`` with the transfer reference, or ``rejected`` with the reason; ``version`` is
    the one read (a request changed since answers 409)."""

    id: uuid.UUID
    version: int = Field(ge=1, le=2_147_483_647)
    status: Literal["paid", "rejected"]
    reference: Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)] | None = (
        None
    )
    note: Text | None = None


class LedgerAdjustment(_Input):
    """A correction row for one owner: exactly one of ``id_publisher`` / ``id_author``."""

    id_publisher: uuid.UUID | None = None
    id_author: uuid.UUID | None = None
    amount: AdjustAmount
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class WithdrawalRead(BaseModel):
    """A request as management sees it: the bank details are there to pay it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    id_publisher: uuid.UUID | None
    id_author: uuid.UUID | None
    owner_name: str
    amount: Decimal
    bank_account_number: str
    bank_account_provider: str
    bank_account_name: str
    status: str
    requested_at: dt.datetime
    processed_at: dt.datetime | None
    id_internal: uuid.UUID | None
    reference: str | None
    note: str | None
    version: int


class AdjustmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    id_publisher: uuid.UUID | None
    id_author: uuid.UUID | None
    type: str
    amount: Decimal
    info: dict[str, object] | None
    created_at: dt.datetime
    balance: Decimal
