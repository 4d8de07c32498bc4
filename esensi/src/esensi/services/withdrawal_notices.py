"""What a payout step tells people (spec/workflows.md §6, §7): the owner's ``withdrawal-update``
notification and email, and management's ``message`` on a new request. Written in the step's
transaction, so a refused step tells nobody."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select

from esensi.emails import (
    WithdrawalPaid,
    WithdrawalRejected,
    WithdrawalRequested,
    rupiah,
    send_main_email,
)
from esensi.models.auth import AuthUser
from esensi.models.enums import NotifType, WithdrawalStatus
from esensi.models.internal import Internal
from esensi.models.withdrawal import Withdrawal
from esensi.services.ledger import Owner
from esensi.services.notifications import by_locale, send_many, send_notif
from rlib import Scope

MESSAGE_MAX = 1000
LABELS = {
    "id": {
        "pending": "menunggu",
        "paid": "dibayarkan",
        "rejected": "ditolak",
        "cancelled": "dibatalkan",
    },
    "en": {"pending": "pending", "paid": "paid", "rejected": "rejected", "cancelled": "cancelled"},
}
UPDATE = {"id": "Penarikan {amount}: {status}", "en": "Withdrawal {amount}: {status}"}
REQUESTED = {
    "id": "Permintaan penarikan {amount} dari {owner}",
    "en": "Withdrawal request of {amount} from {owner}",
}
TEMPLATES = {
    WithdrawalStatus.PENDING: "withdrawal-requested",
    WithdrawalStatus.PAID: "withdrawal-paid",
    WithdrawalStatus.REJECTED: "withdrawal-rejected",
}


async def owner_login(scope: Scope, owner: Owner) -> Any:
    """The owner's name and live login (id, email, locale), or None without one."""
    profile = owner.profile
    return (
        await scope.db.execute(
            select(profile.name, AuthUser.id, AuthUser.email, AuthUser.locale)
            .join(AuthUser, AuthUser.id == profile.id_user)
            .where(profile.id == owner.id, AuthUser.deleted_at.is_(None))
        )
    ).first()


def _masked(row: Withdrawal) -> str:
    return f"{row.bank_account_provider} ****{row.bank_account_number[-4:]}"


def _email_model(
    row: Withdrawal, name: str
) -> WithdrawalRequested | WithdrawalPaid | WithdrawalRejected:
    if row.status == WithdrawalStatus.PAID:
        assert row.reference is not None
        assert row.processed_at is not None
        return WithdrawalPaid(
            name=name, amount=row.amount, reference=row.reference, processed_at=row.processed_at
        )
    if row.status == WithdrawalStatus.REJECTED:
        return WithdrawalRejected(name=name, amount=row.amount, note=row.note or "")
    return WithdrawalRequested(
        name=name, amount=row.amount, bank_masked=_masked(row), requested_at=row.requested_at
    )


async def tell_owner(scope: Scope, row: Withdrawal, owner: Owner) -> None:
    """``withdrawal-update`` to the owner's login, and the step's email (none on cancel)."""
    found = await owner_login(scope, owner)
    if found is None:
        return
    name, user_id, email, locale = found
    lang: Literal["id", "en"] = "en" if locale == "en" else "id"
    message = UPDATE[lang].format(amount=rupiah(row.amount), status=LABELS[lang][row.status])
    content = {"type": NotifType.WITHDRAWAL_UPDATE.value, "message": message, "url": "/withdrawal"}
    await send_notif(scope, user_id, {"notif": content})
    template = TEMPLATES.get(WithdrawalStatus(row.status))
    if template is not None:
        await send_main_email(
            scope,
            to=email,
            template_alias=template,
            template_model=_email_model(row, name),
            lang=lang,
        )


async def tell_management(scope: Scope, row: Withdrawal, owner_name: str) -> None:
    """A ``message`` to every live management login, one insert per language."""
    staff = await scope.db.execute(
        select(AuthUser.id, AuthUser.locale)
        .join(Internal, Internal.id_user == AuthUser.id)
        .where(Internal.is_management, AuthUser.deleted_at.is_(None))
        .order_by(AuthUser.id)
    )
    for lang, group in by_locale(list(staff.all())).items():
        text = REQUESTED[lang].format(amount=rupiah(row.amount), owner=owner_name)
        content = {
            "type": NotifType.MESSAGE.value,
            "message": text[:MESSAGE_MAX],
            "url": f"/withdrawal/{row.id}",
        }
        await send_many(scope, [login.id for login in group], content)
