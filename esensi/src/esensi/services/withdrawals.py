"""Payout requests (spec/workflows.md §4.8): request, cancel by the owner, pay or reject by staff.

Each step is one transaction holding the withdrawal row and its ledger row together: a request
debits the balance (``withdrawal`` row of minus the amount), a cancel or a rejection gives it back
(``withdrawal_reversal``), a payment only closes the request.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from esensi.models.cms import Cfg
from esensi.models.enums import LedgerType, WithdrawalStatus
from esensi.models.ledger import Transaction
from esensi.models.withdrawal import Withdrawal
from esensi.services.ledger import BANK, Owner, balance, lock_owner
from rlib import AuthorizationError, ConflictError, Scope, ValidationError
from rlib.db.base import utcnow
from rlib.errors import FieldError

MIN_AMOUNT_KEY = "withdrawal.min_amount"
# Used when the cfg entry is missing or unreadable (the seed stores the same value).
DEFAULT_MIN_AMOUNT = Decimal(10_000)


class EmailUnverifiedError(AuthorizationError):
    """403: payouts go to logins whose email address is verified."""

    code = "email_unverified"
    key = "withdrawal.email_unverified"


class WithdrawalPendingError(ConflictError):
    """409: the owner already has a pending request (at most one at a time)."""

    code = "withdrawal_pending"
    key = "withdrawal.pending_exists"


class WithdrawalStateError(ConflictError):
    """409: the request is no longer pending, or changed since it was read (version)."""

    code = "withdrawal_not_pending"
    key = "withdrawal.not_pending"


async def min_amount(scope: Scope) -> Decimal:
    """The ``withdrawal.min_amount`` cfg value, else :data:`DEFAULT_MIN_AMOUNT`."""
    value = await scope.db.scalar(select(Cfg.value).where(Cfg.key == MIN_AMOUNT_KEY))
    try:
        found = Decimal(str(value).strip()) if value is not None else DEFAULT_MIN_AMOUNT
    except InvalidOperation:
        return DEFAULT_MIN_AMOUNT
    return found if found.is_finite() and found > 0 else DEFAULT_MIN_AMOUNT


def _amount_error(key: str, **params: object) -> ValidationError:
    return ValidationError([FieldError(loc=("body", "amount"), key=key, params=params)])


async def request(
    scope: Scope, owner: Owner, amount: Decimal
) -> tuple[Withdrawal, dict[str, object]]:
    """Insert the pending request (bank snapshot) and its debit; returns it and the profile."""
    profile = await lock_owner(scope, owner)
    if any(not profile[name] for name in BANK):
        raise ValidationError([], "withdrawal.bank_missing")
    minimum = await min_amount(scope)
    if amount < minimum:
        raise _amount_error("withdrawal.below_minimum", minimum=minimum)
    pending = await scope.db.scalar(
        select(Withdrawal.id).where(owner.of(Withdrawal), Withdrawal.status == "pending")
    )
    if pending is not None:
        raise WithdrawalPendingError()
    if amount > await balance(scope, owner):
        raise _amount_error("withdrawal.over_balance")
    row = Withdrawal(
        **owner.columns(),
        amount=amount,
        **{name: profile[name] for name in BANK},
        status=WithdrawalStatus.PENDING.value,
    )
    scope.db.add(row)
    try:
        await scope.db.flush()
    except IntegrityError as exc:  # the partial unique index, should the lock be bypassed
        raise WithdrawalPendingError() from exc
    await _ledger_row(scope, row, LedgerType.WITHDRAWAL, -amount)
    return row, profile


async def _ledger_row(scope: Scope, row: Withdrawal, kind: LedgerType, amount: Decimal) -> None:
    scope.db.add(
        Transaction(
            id_publisher=row.id_publisher,
            id_author=row.id_author,
            type=kind.value,
            amount=amount,
            id_withdrawal=row.id,
        )
    )
    await scope.db.flush()


async def close(
    scope: Scope,
    row: Withdrawal,
    target: WithdrawalStatus,
    *,
    version: int | None = None,
    values: dict[str, object] | None = None,
) -> Withdrawal:
    """Move a pending request to ``target`` with a conditional update (status pending, and the
    version read when given); a reversal row returns the amount unless it was paid."""
    expected = row.version if version is None else version
    changes: dict[str, object] = {
        "status": target.value,
        "version": expected + 1,
        "updated_at": utcnow(),
    }
    changes |= values or {}
    moved = await scope.db.execute(
        update(Withdrawal)
        .where(
            Withdrawal.id == row.id,
            Withdrawal.status == WithdrawalStatus.PENDING.value,
            Withdrawal.version == expected,
        )
        .values(**changes)
        .execution_options(synchronize_session=False)
    )
    if not getattr(moved, "rowcount", 0):
        raise WithdrawalStateError()
    await scope.db.refresh(row)
    if target != WithdrawalStatus.PAID:
        await _ledger_row(scope, row, LedgerType.WITHDRAWAL_REVERSAL, row.amount)
    return row


def owner_of(row: Withdrawal) -> Owner:
    return Owner(row.id_publisher, row.id_author)
