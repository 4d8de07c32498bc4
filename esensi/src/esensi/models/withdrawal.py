"""Payout requests of publishers and self-published authors."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, func
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import SENSITIVE, Base, fk, partial_unique, status_column
from esensi.models.enums import WithdrawalStatus
from esensi.models.ledger import LedgerOwner, one_owner
from rlib.db.base import Timestamps, UUIDPrimaryKey, Versioned, utcnow, vocabulary_check
from rlib.db.types import BoundedNumeric, BoundedString, BoundedText, UtcDateTime


class Withdrawal(UUIDPrimaryKey, LedgerOwner, Versioned, Timestamps, Base):
    """The bank details are a snapshot taken at request time; the minimum amount is a cfg rule."""

    __tablename__ = "withdrawal"
    __table_args__ = (
        one_owner(),
        CheckConstraint("amount > 0", name="amount_positive"),
        vocabulary_check("status", WithdrawalStatus, "status"),
        CheckConstraint("status <> 'paid' OR reference IS NOT NULL", name="reference_required"),
        CheckConstraint("status <> 'rejected' OR note IS NOT NULL", name="note_required"),
        # At most one pending request per owner (NULL owners never collide).
        partial_unique(
            "id_publisher", where="status = 'pending'", name="uq_withdrawal_pending_publisher"
        ),
        partial_unique(
            "id_author", where="status = 'pending'", name="uq_withdrawal_pending_author"
        ),
        Index(None, "id_publisher"),
        Index(None, "id_author"),
    )

    amount: Mapped[Decimal] = mapped_column(BoundedNumeric)
    bank_account_number: Mapped[str] = mapped_column(BoundedString(64), info=SENSITIVE)
    bank_account_provider: Mapped[str] = mapped_column(BoundedString(64), info=SENSITIVE)
    bank_account_name: Mapped[str] = mapped_column(BoundedString(255), info=SENSITIVE)
    status: Mapped[str] = status_column(WithdrawalStatus.PENDING)
    requested_at: Mapped[dt.datetime] = mapped_column(
        UtcDateTime, default=utcnow, server_default=func.now()
    )
    processed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    id_internal: Mapped[uuid.UUID | None] = mapped_column(fk("internal.id"), index=True)
    # Bank transfer reference, required once paid.
    reference: Mapped[str | None] = mapped_column(BoundedString(128))
    # The reason, required when rejected.
    note: Mapped[str | None] = mapped_column(BoundedText())
