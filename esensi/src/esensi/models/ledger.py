"""The publisher and author ledger: append-only, balance = SUM(amount) per owner."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from esensi.models.base import Base, fk, partial_unique
from esensi.models.enums import LedgerType
from rlib.db.base import CreatedAt, UUIDPrimaryKey, vocabulary_check
from rlib.db.types import BoundedNumeric, BoundedString, json_type

AMOUNT_SIGN = (
    "(type IN ('sale', 'withdrawal_reversal') AND amount > 0)"
    " OR (type IN ('refund', 'withdrawal') AND amount < 0)"
    " OR type = 'adjustment'"
)


class LedgerOwner:
    """Exactly one owner: a publisher, or a self-published author."""

    @declared_attr
    def id_publisher(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(fk("publisher.id"))

    @declared_attr
    def id_author(cls) -> Mapped[uuid.UUID | None]:
        return mapped_column(fk("author.id"))


def one_owner() -> CheckConstraint:
    return CheckConstraint("(id_publisher IS NULL) <> (id_author IS NULL)", name="one_owner")


class Transaction(UUIDPrimaryKey, LedgerOwner, CreatedAt, Base):
    """A ledger row; never updated or deleted, corrections are ``adjustment`` rows."""

    __tablename__ = "transaction"
    # The owner indexes lead with the owner, so they are also those foreign keys' indexes.
    __table_args__ = (
        one_owner(),
        vocabulary_check("type", LedgerType, "type"),
        CheckConstraint(AMOUNT_SIGN, name="amount_sign"),
        # One credit and one refund per line per owner, so a replayed webhook cannot credit twice.
        partial_unique("id_sales_line", "type", "id_publisher", where="id_publisher IS NOT NULL"),
        partial_unique("id_sales_line", "type", "id_author", where="id_author IS NOT NULL"),
        UniqueConstraint("id_withdrawal", "type"),
        Index(None, "id_publisher", "created_at"),
        Index(None, "id_author", "created_at"),
    )

    type: Mapped[str] = mapped_column(BoundedString(24))
    amount: Mapped[Decimal] = mapped_column(BoundedNumeric)
    id_sales: Mapped[uuid.UUID | None] = mapped_column(fk("t_sales.id"), index=True)
    id_sales_line: Mapped[uuid.UUID | None] = mapped_column(fk("t_sales_line.id"), index=True)
    id_withdrawal: Mapped[uuid.UUID | None] = mapped_column(fk("withdrawal.id"))
    info: Mapped[dict[str, Any] | None] = mapped_column(json_type())
