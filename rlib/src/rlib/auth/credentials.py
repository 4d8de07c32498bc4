"""Setting a password: the one path every new password takes (sign-up, change, reset, staff).

:func:`set_new_password` applies the password policy (security.md P4), hashes on the bounded
hasher (P2), stores the credential, and then does what the reason calls for: a change revokes
every *other* session of the login, a reset revokes *all* of them (S6), both kill outstanding
reset links and queue the "password changed" notice (P5). A new login (sign-up, a staff member
created by an operator) has no session, link or earlier password to announce.

The rule for each reason lives in :data:`RULES`, so no caller decides on its own what a
password change revokes.
"""

from __future__ import annotations

import enum
import logging
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select

from rlib.auth import mailer
from rlib.auth.attempts import CREDENTIAL
from rlib.auth.kit import AuthKit
from rlib.auth.rules import check_new_password
from rlib.auth.sessions import revoke
from rlib.auth.tables import IdentityColumns
from rlib.auth.tokens import PASSWORD_RESET, invalidate
from rlib.auth.users import SessionUser
from rlib.context import Ctx
from rlib.scope import Scope

logger = logging.getLogger("rlib.auth")


class PasswordReason(enum.StrEnum):
    """Why a password is being set."""

    CREATE = "create"  # a new login: sign-up, or a staff member created by an operator
    CHANGE = "change"  # the signed-in owner, with the current password
    RESET = "reset"  # from a reset link


@dataclass(frozen=True, slots=True)
class PasswordRule:
    """What setting a password for one reason does besides storing it."""

    revoke: Literal["none", "others", "all"]
    notify: bool


RULES: dict[PasswordReason, PasswordRule] = {
    PasswordReason.CREATE: PasswordRule(revoke="none", notify=False),
    PasswordReason.CHANGE: PasswordRule(revoke="others", notify=True),
    PasswordReason.RESET: PasswordRule(revoke="all", notify=True),
}


async def set_new_password(
    scope: Scope,
    kit: AuthKit,
    user: IdentityColumns,
    password: str,
    *,
    reason: PasswordReason,
    field: str = "password",
) -> None:
    """Check ``password`` against the policy, store its hash for ``user``, then revoke and
    notify as :data:`RULES` says for ``reason``.

    A caller that must refuse a bad password before anything else happens (sign-up, so a taken
    address answers like a free one) may call :func:`~rlib.auth.rules.check_new_password`
    first; the same rule then holds here again.

    Raises:
        ValidationError: 422 on ``field`` when the password is outside 8-128 characters or common.
    """
    check_new_password(password, field=field)
    rule = RULES[reason]
    await _store(scope, kit, user.id, await kit.hasher.hash(password))
    if reason is not PasswordReason.CREATE:
        await invalidate(scope, kit, user_id=user.id, purposes=(PASSWORD_RESET,))
    if rule.revoke != "none":
        caller = scope.user
        keep = (
            caller.session_id
            if rule.revoke == "others" and isinstance(caller, SessionUser) and caller.id == user.id
            else None
        )
        await revoke(scope.db, kit.tables, now=kit.now(), user_id=user.id, keep=keep)
    if rule.notify:
        ip = kit.client_ip(scope) if isinstance(scope, Ctx) else ""
        context = {"name": user.name, "time": kit.now().isoformat(), "ip": ip}
        email = mailer.AuthEmail(mailer.PASSWORD_CHANGED, user.email, context, scope.lang)
        await kit.mailer(scope, email)
    logger.info("password set", extra={"user": str(user.id), "reason": str(reason)})


async def _store(scope: Scope, kit: AuthKit, user_id: uuid.UUID, password_hash: str) -> None:
    """Store the hash on the login's credential, adding the credential when it has none."""
    a = kit.tables.account
    account = await scope.db.scalar(
        select(a).where(a.id_user == user_id, a.id_provider == CREDENTIAL)
    )
    if account is None:
        scope.db.add(
            a(
                id_user=user_id,
                id_provider=CREDENTIAL,
                id_account=str(user_id),
                password=password_hash,
            )
        )
    else:
        account.password = password_hash
    await scope.db.flush()
