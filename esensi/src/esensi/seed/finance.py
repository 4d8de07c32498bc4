"""Demo ledger and payouts: a sale row per paid line and owner, refunds, withdrawals in every
status with their ledger rows, and an adjustment. Balances never go below zero."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from esensi.models.enums import LedgerType, SalesStatus, WithdrawalStatus
from esensi.models.ledger import Transaction
from esensi.models.withdrawal import Withdrawal
from esensi.seed.clock import at
from esensi.seed.keys import rng, seed_id
from esensi.seed.orders import OWNED, OrderPlan, Owner
from esensi.seed.people import (
    MANAGEMENT,
    PUBLISHERS,
    AuthorPlan,
    Login,
    publisher_id,
    publisher_login,
    staff_id,
    stamps,
)
from esensi.seed.runner import Tables
from esensi.seed.words import bank_account, thousands

if TYPE_CHECKING:
    from esensi.seed.world import Block

W = WithdrawalStatus
# Per owner, in order: the withdrawals it made. Every status appears in every block.
AUTHOR_PAYOUTS = ((W.PAID,), (W.PENDING,), (W.REJECTED,), (W.CANCELLED,), (W.PAID, W.PENDING))
PUBLISHER_PAYOUTS = ((W.PAID, W.PENDING), (W.REJECTED,), (W.PAID,), (W.CANCELLED,))
MINIMUM = Decimal(10_000)
REJECT_NOTE = "Nama pemilik rekening tidak sesuai dengan data profil."


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger row."""

    id: uuid.UUID
    owner: Owner
    kind: LedgerType
    amount: Decimal
    day: float
    sales: uuid.UUID | None = None
    line: uuid.UUID | None = None
    withdrawal: uuid.UUID | None = None
    info: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Payout:
    id: uuid.UUID
    owner: Owner
    holder: str
    user: uuid.UUID
    email: str
    amount: Decimal
    status: WithdrawalStatus
    day: float


@dataclass(slots=True)
class LedgerPlan:
    entries: list[Entry] = field(default_factory=list)
    payouts: list[Payout] = field(default_factory=list)

    def balance(self, owner: Owner) -> Decimal:
        return sum((e.amount for e in self.entries if e.owner == owner), Decimal(0))


def _sales(plan: LedgerPlan, orders: list[OrderPlan]) -> None:
    for order in orders:
        if order.status not in OWNED:
            continue
        for line in order.lines:
            amount = line.total - line.discount
            info = {
                "item": line.book.title if line.book else line.bundle.name if line.bundle else ""
            }
            key = f"{line.id}"
            plan.entries.append(
                Entry(
                    seed_id("transaction", f"sale:{key}"),
                    line.owner,
                    LedgerType.SALE,
                    amount,
                    order.day + 0.02,
                    order.id,
                    line.id,
                    info=info,
                )
            )
            if order.status == SalesStatus.REFUNDED:
                plan.entries.append(
                    Entry(
                        seed_id("transaction", f"refund:{key}"),
                        line.owner,
                        LedgerType.REFUND,
                        -amount,
                        order.day + 12,
                        order.id,
                        line.id,
                        info=info,
                    )
                )


def _payouts(
    plan: LedgerPlan, owner: Owner, login: Login, holder: str, steps: tuple[W, ...]
) -> None:
    for n, status in enumerate(steps):
        amount = thousands(plan.balance(owner) / 2)
        if amount < MINIMUM:
            return
        day = 330 + n * 12 + rng("payout", owner, n).random() * 5
        payout = Payout(
            seed_id("withdrawal", f"{owner}:{n}"),
            owner,
            holder,
            login.id,
            login.email,
            amount,
            status,
            day,
        )
        plan.payouts.append(payout)
        plan.entries.append(
            Entry(
                seed_id("transaction", f"withdrawal:{payout.id}"),
                owner,
                LedgerType.WITHDRAWAL,
                -amount,
                day,
                withdrawal=payout.id,
            )
        )
        if status in (W.REJECTED, W.CANCELLED):
            plan.entries.append(
                Entry(
                    seed_id("transaction", f"reversal:{payout.id}"),
                    owner,
                    LedgerType.WITHDRAWAL_REVERSAL,
                    amount,
                    day + 2,
                    withdrawal=payout.id,
                )
            )


def plan_ledger(block: int, authors: list[AuthorPlan], orders: list[OrderPlan]) -> LedgerPlan:
    """Sales and refunds of the block; payouts of its self-published authors (and, in block 0,
    of the publishers, whose balance from block 0 alone already covers them)."""
    plan = LedgerPlan()
    _sales(plan, orders)
    independent = [a for a in authors if a.publisher_id is None]
    for author, steps in zip(independent, AUTHOR_PAYOUTS, strict=False):
        _payouts(plan, (None, author.id), author.login, author.name, steps)
    if block == 0:
        for i, steps in enumerate(PUBLISHER_PAYOUTS):
            owner = (publisher_id(i), None)
            _payouts(plan, owner, publisher_login(i), PUBLISHERS[i][0], steps)
        owner = (publisher_id(2), None)
        info = {"reason": "Koreksi bagi hasil penjualan Maret", "by": str(staff_id(MANAGEMENT[1]))}
        plan.entries.append(
            Entry(
                seed_id("transaction", "adjustment:0"),
                owner,
                LedgerType.ADJUSTMENT,
                Decimal(12_500),
                200,
                info=info,
            )
        )
    return plan


def _withdrawal_row(payout: Payout) -> dict[str, Any]:
    paid, rejected = payout.status == W.PAID, payout.status == W.REJECTED
    processed = payout.status in (W.PAID, W.REJECTED, W.CANCELLED)
    return {
        "id": payout.id,
        "id_publisher": payout.owner[0],
        "id_author": payout.owner[1],
        "amount": payout.amount,
        **bank_account(rng("bank", payout.owner[0] or payout.owner[1]), payout.holder),
        "status": payout.status.value,
        "requested_at": at(payout.day),
        "processed_at": at(payout.day + 2) if processed else None,
        "id_internal": staff_id(MANAGEMENT[1]) if paid or rejected else None,
        "reference": f"TRF-{payout.id.hex[:12].upper()}" if paid else None,
        "note": REJECT_NOTE if rejected else None,
        "version": 2 if processed else 1,
        **stamps(at(payout.day + 2 if processed else payout.day)),
    }


def _entry_row(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "id_publisher": entry.owner[0],
        "id_author": entry.owner[1],
        "type": entry.kind.value,
        "amount": entry.amount,
        "id_sales": entry.sales,
        "id_sales_line": entry.line,
        "id_withdrawal": entry.withdrawal,
        "info": entry.info,
        "created_at": at(entry.day),
    }


def seed_finance(block: Block) -> Tables:
    """Withdrawals first (ledger rows point at them), then the ledger."""
    ledger = block.ledger
    tables: Tables = [(Withdrawal, [_withdrawal_row(p) for p in ledger.payouts])]
    return [*tables, (Transaction, [_entry_row(e) for e in ledger.entries])]
