"""Ledger corrections by management (``ledger_adjust``): an ``adjustment`` row with its reason,
never an edit of an existing row (the ledger is append-only). Audited."""

from __future__ import annotations

from esensi.api.internal.audited import record
from esensi.api.internal.finance_schemas import AdjustmentRead, LedgerAdjustment
from esensi.services import ledger
from rlib import Ctx, NotFoundError, ValidationError, define_api
from rlib.auth.users import current_user
from rlib.errors import FieldError

MANAGEMENT = ("internal:management",)  # spec/endpoints.md §5


def _checked(payload: LedgerAdjustment) -> ledger.Owner:
    errors: list[FieldError] = []
    if (payload.id_publisher is None) == (payload.id_author is None):
        errors.append(FieldError(("body", "id_publisher"), "ledger.one_owner"))
    if payload.amount == 0:
        errors.append(FieldError(("body", "amount"), "ledger.amount_zero"))
    if not payload.reason:
        errors.append(FieldError(("body", "reason"), "ledger.reason_required"))
    if errors:
        raise ValidationError(errors)
    return ledger.Owner(payload.id_publisher, payload.id_author)


@define_api(
    name="ledger_adjust",
    url="/ledger/adjust",
    auth=MANAGEMENT,
    errors=(NotFoundError, ValidationError),
)
async def ledger_adjust(ctx: Ctx, payload: LedgerAdjustment) -> AdjustmentRead:
    """Add a correction (positive or negative, non-zero, at most one billion either way) to a
    publisher's or a self-published author's ledger; the reason is kept in ``info``."""
    owner = _checked(payload)
    info = {"reason": payload.reason, "by": str(current_user(ctx).id)}
    row = await ledger.adjust(ctx, owner, payload.amount, info)
    balance = await ledger.balance(ctx, owner)
    await record(
        ctx,
        action="ledger.adjust",
        entity="transaction",
        entity_id=row.id,
        after={**owner.columns(), "amount": row.amount, "reason": payload.reason},
    )
    return AdjustmentRead.model_validate(
        {
            **{
                name: getattr(row, name)
                for name in AdjustmentRead.model_fields
                if name != "balance"
            },
            "balance": balance,
        }
    )
