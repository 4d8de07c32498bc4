"""The payout queue (management): list the requests, pay or reject one (spec/workflows.md §4.8).

Management sees the bank details, since it makes the transfer (models: ``BankAccount``). Each
decision is a conditional update on ``status='pending' AND version=?``, audited, and tells the
owner by notification and email.
"""

from __future__ import annotations

from sqlalchemy import Select, func, select

from esensi.api.internal.audited import record
from esensi.api.internal.finance_schemas import (
    WithdrawalDecision,
    WithdrawalQueueQuery,
    WithdrawalRead,
)
from esensi.models.author import Author
from esensi.models.enums import WithdrawalStatus
from esensi.models.publisher import Publisher
from esensi.models.withdrawal import Withdrawal
from esensi.services import withdrawals
from esensi.services.withdrawal_notices import tell_owner
from rlib import Ctx, NotFoundError, Page, ValidationError, define_api
from rlib.auth.users import require_role
from rlib.db.base import utcnow
from rlib.errors import FieldError

MANAGEMENT = ("internal:management",)  # spec/endpoints.md §5
OWNER_NAME = func.coalesce(Publisher.name, Author.name).label("owner_name")


def _queue() -> Select[Withdrawal, str]:
    return (
        select(Withdrawal, OWNER_NAME)
        .outerjoin(Publisher, Publisher.id == Withdrawal.id_publisher)
        .outerjoin(Author, Author.id == Withdrawal.id_author)
    )


def _read(row: Withdrawal, owner_name: str) -> WithdrawalRead:
    values = {
        name: getattr(row, name) for name in WithdrawalRead.model_fields if name != "owner_name"
    }
    return WithdrawalRead.model_validate({**values, "owner_name": owner_name})


@define_api(
    name="withdrawal_list", url="/withdrawal/list", methods=("GET", "POST"), auth=MANAGEMENT
)
async def withdrawal_list(ctx: Ctx, payload: WithdrawalQueueQuery) -> Page[WithdrawalRead]:
    """Requests, oldest first, with the owner's name; two statements."""
    filters = {
        Withdrawal.status: None if payload.status is None else payload.status.value,
        Withdrawal.id_publisher: payload.id_publisher,
        Withdrawal.id_author: payload.id_author,
    }
    where = [column == value for column, value in filters.items() if value is not None]
    total = await ctx.db.scalar(select(func.count()).select_from(Withdrawal).where(*where))
    found = await ctx.db.execute(
        _queue()
        .where(*where)
        .order_by(Withdrawal.requested_at, Withdrawal.id)
        .offset((payload.page - 1) * payload.limit)
        .limit(payload.limit)
    )
    items = [_read(row, name) for row, name in found.all()]
    return Page(items=items, page=payload.page, limit=payload.limit, total=total or 0)


def _decision_values(ctx: Ctx, payload: WithdrawalDecision) -> dict[str, object]:
    staff = require_role(ctx, "internal")
    values: dict[str, object] = {
        "processed_at": utcnow(),
        "id_internal": staff.profile_id("internal"),
    }
    if payload.status == "paid":
        if not payload.reference:
            raise ValidationError(
                [FieldError(("body", "reference"), "withdrawal.reference_required")]
            )
        values["reference"] = payload.reference
    else:
        if not payload.note:
            raise ValidationError([FieldError(("body", "note"), "withdrawal.note_required")])
        values["note"] = payload.note
    return values


@define_api(
    name="withdrawal_process",
    url="/withdrawal/process",
    auth=MANAGEMENT,
    errors=(NotFoundError, ValidationError, withdrawals.WithdrawalStateError),
)
async def withdrawal_process(ctx: Ctx, payload: WithdrawalDecision) -> WithdrawalRead:
    """Mark a pending request paid (transfer reference) or rejected (reason; the amount returns
    to the balance). A request decided or changed since ``version`` answers 409."""
    found = (await ctx.db.execute(_queue().where(Withdrawal.id == payload.id))).first()
    if found is None:
        raise NotFoundError("resource.withdrawal")
    row, owner_name = found
    values = _decision_values(ctx, payload)
    target = WithdrawalStatus(payload.status)
    row = await withdrawals.close(ctx, row, target, version=payload.version, values=values)
    await tell_owner(ctx, row, withdrawals.owner_of(row))
    await record(
        ctx,
        action=f"withdrawal.{target.value}",
        entity="withdrawal",
        entity_id=row.id,
        before={"status": WithdrawalStatus.PENDING.value, "version": payload.version},
        after={
            "status": row.status,
            "version": row.version,
            "reference": row.reference,
            "note": row.note,
            "amount": row.amount,
        },
    )
    return _read(row, owner_name)
