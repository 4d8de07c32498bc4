"""Payout requests of the owner: request, list, cancel (spec/workflows.md §4.8)."""

from __future__ import annotations

from sqlalchemy import func, select

from esensi.api.publish.finance_schemas import (
    OwnWithdrawal,
    WithdrawalQuery,
    WithdrawalRef,
    WithdrawalRequest,
)
from esensi.models.enums import ActorType, WithdrawalStatus
from esensi.models.withdrawal import Withdrawal
from esensi.services import audit, ledger, withdrawals
from esensi.services.withdrawal_notices import tell_management, tell_owner
from rlib import Ctx, NotFoundError, Page, ValidationError, define_api
from rlib.auth.errors import ReauthRequiredError
from rlib.auth.flows import kit_of
from rlib.auth.rules import require_fresh
from rlib.auth.users import current_user


def own_view(row: Withdrawal) -> OwnWithdrawal:
    """The request with its bank account masked to the last four digits."""
    return OwnWithdrawal.model_validate(
        {
            **{
                name: getattr(row, name)
                for name in OwnWithdrawal.model_fields
                if name != "bank_account_masked"
            },
            "bank_account_masked": "****" + row.bank_account_number[-4:],
        }
    )


@define_api(
    name="withdrawal",
    url="/withdrawal",
    errors=(
        ReauthRequiredError,
        withdrawals.EmailUnverifiedError,
        ValidationError,
        withdrawals.WithdrawalPendingError,
    ),
)
async def withdrawal(ctx: Ctx, payload: WithdrawalRequest) -> OwnWithdrawal:
    """Request a payout of at most the balance (and at least ``withdrawal.min_amount``) to the
    bank account on the caller's profile: needs a sign-in from the last minutes and a verified
    email. The amount leaves the balance at once; one pending request at a time."""
    owner = ledger.ledger_owner(ctx)
    require_fresh(ctx, kit_of(ctx))
    if not current_user(ctx).email_verified:
        raise withdrawals.EmailUnverifiedError()
    row, profile = await withdrawals.request(ctx, owner, payload.amount)
    await tell_owner(ctx, row, owner)
    await tell_management(ctx, row, str(profile["name"]))
    return own_view(row)


@define_api(name="withdrawal_list", url="/withdrawal/list", methods=("GET", "POST"))
async def withdrawal_list(ctx: Ctx, payload: WithdrawalQuery) -> Page[OwnWithdrawal]:
    """The caller's payout requests, newest first; two statements."""
    owner = ledger.ledger_owner(ctx)
    where = [owner.of(Withdrawal)]
    if payload.status is not None:
        where.append(Withdrawal.status == payload.status.value)
    total = await ctx.db.scalar(select(func.count()).select_from(Withdrawal).where(*where))
    rows = await ctx.db.scalars(
        select(Withdrawal)
        .where(*where)
        .order_by(Withdrawal.requested_at.desc(), Withdrawal.id.desc())
        .offset(payload.skip())
        .limit(payload.limit)
    )
    items = [own_view(row) for row in rows]
    return Page(items=items, page=payload.page, limit=payload.limit, total=total or 0)


@define_api(
    name="withdrawal_cancel",
    url="/withdrawal/cancel",
    errors=(NotFoundError, withdrawals.WithdrawalStateError),
)
async def withdrawal_cancel(ctx: Ctx, payload: WithdrawalRef) -> OwnWithdrawal:
    """Cancel an own pending request: the amount returns to the balance (reversal row)."""
    owner = ledger.ledger_owner(ctx)
    row = await ctx.db.scalar(
        select(Withdrawal).where(Withdrawal.id == payload.id, owner.of(Withdrawal))
    )
    if row is None:
        raise NotFoundError("resource.withdrawal")
    row = await withdrawals.close(ctx, row, WithdrawalStatus.CANCELLED)
    await tell_owner(ctx, row, owner)
    # The trail of a payout is complete only with the owner's own step (the demo has it too).
    kind = ActorType.PUBLISHER if owner.publisher is not None else ActorType.AUTHOR
    actor = audit.Actor(current_user(ctx).id, kind, kit_of(ctx).client_ip(ctx), ctx.request_id)
    await audit.record(
        ctx,
        actor,
        action="withdrawal.cancel",
        entity="withdrawal",
        entity_id=row.id,
        before={"status": WithdrawalStatus.PENDING.value},
        after={"status": row.status, "amount": str(row.amount)},
    )
    return own_view(row)
