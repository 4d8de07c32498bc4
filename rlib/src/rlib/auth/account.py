"""Changing credentials of a signed-in login: password and email (spec/workflows.md 1.3, 1.7).

Both need a fresh sign-in (security.md S7) and are announced to the owner by mail. A password
change keeps the current session and revokes the others; an email change is confirmed through a
link sent to the new address and kills every outstanding link of the old one.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from sqlalchemy import func, select

from rlib.auth import mailer
from rlib.auth.attempts import CREDENTIAL
from rlib.auth.credentials import PasswordReason, set_new_password
from rlib.auth.errors import PasswordWrongError
from rlib.auth.flows import kit_of, normalize_email
from rlib.auth.kit import AuthKit
from rlib.auth.rules import require_fresh
from rlib.auth.schemas import ChangeEmail, ChangePassword, Done, PasswordChanged
from rlib.auth.sessions import revoke
from rlib.auth.signin import load_user_view
from rlib.auth.tables import IdentityColumns
from rlib.auth.tokens import (
    CHANGE_EMAIL,
    EMAIL_VERIFICATION,
    PASSWORD_RESET,
    Claimed,
    invalidate,
    issue_link,
)
from rlib.auth.users import SessionUser, current_user
from rlib.context import Ctx
from rlib.errors import FieldError, NotFoundError, ValidationError

logger = logging.getLogger("rlib.auth")


async def _login(ctx: Ctx, kit: AuthKit, me: SessionUser) -> IdentityColumns:
    user = await ctx.db.get(kit.tables.user, me.id)
    if user is None:
        raise NotFoundError()
    return user


async def change_password(ctx: Ctx, payload: ChangePassword) -> PasswordChanged:
    """Replace the password (current one required); every other session is revoked, the owner
    is told by mail (``set_new_password``)."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    require_fresh(ctx, kit)
    # Counted before the request's transaction starts: a failure rolls that back.
    key = "change_password:account:" + str(me.id)
    await kit.throttle.take(ctx.unit, key, kit.config.throttles.change_password_account)
    user = await _login(ctx, kit, me)
    a = kit.tables.account
    stored = await ctx.db.scalar(
        select(a.password).where(a.id_user == me.id, a.id_provider == CREDENTIAL)
    )
    if not (await kit.hasher.verify(stored, payload.currentPassword)).ok:
        raise PasswordWrongError()
    await kit.throttle.refund(ctx.unit, key)
    await set_new_password(
        ctx, kit, user, payload.newPassword, reason=PasswordReason.CHANGE, field="newPassword"
    )
    return PasswordChanged(token=None, user=await load_user_view(ctx, kit, user))


async def change_email(ctx: Ctx, payload: ChangeEmail) -> Done:
    """Send a confirmation link to the new address and a notice to the current one."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    require_fresh(ctx, kit)
    new_email = normalize_email(payload.newEmail)
    if new_email == normalize_email(me.email):
        raise ValidationError([FieldError(loc=("body", "newEmail"), key="auth.email_same")])
    callback = kit.check_redirect(payload.callbackURL, field="callbackURL")
    key = "send:account:" + normalize_email(me.email)
    await kit.throttle.take(ctx.unit, key, kit.config.throttles.send_account)
    user = await _login(ctx, kit, me)
    if await _email_taken(ctx, kit, new_email):
        # Same answer as success: the owner of that address learns of the attempt instead.
        await kit.mailer(
            ctx, mailer.AuthEmail(mailer.ACCOUNT_EXISTS, new_email, {"name": ""}, ctx.lang)
        )
        return Done(status=True)
    token = await issue_link(
        ctx,
        kit,
        purpose=CHANGE_EMAIL,
        user=user,
        lifetime_s=kit.config.verify_token_s,
        data={"new_email": new_email},
    )
    context = {"name": user.name, "new_email": new_email, "url": verify_url(kit, token, callback)}
    await kit.mailer(
        ctx, mailer.AuthEmail(mailer.CHANGE_EMAIL_VERIFICATION, new_email, context, ctx.lang)
    )
    notice = {"name": user.name, "new_email": new_email}
    await kit.mailer(ctx, mailer.AuthEmail(mailer.EMAIL_CHANGED, user.email, notice, ctx.lang))
    return Done(status=True)


def verify_url(kit: AuthKit, token: str, callback: str | None) -> str:
    """The ``verify-email`` link on the configured auth origin."""
    url = kit.base_url() + "/api/auth/verify-email?token=" + token
    return url if callback is None else url + "&callbackURL=" + quote(callback, safe="")


async def _email_taken(ctx: Ctx, kit: AuthKit, email: str) -> bool:
    u = kit.tables.user
    return await ctx.db.scalar(select(u.id).where(func.lower(u.email) == email)) is not None


async def apply_email_change(ctx: Ctx, kit: AuthKit, claimed: Claimed) -> bool:
    """Move the login to the confirmed address; False when the link no longer applies (the
    email changed meanwhile or the new address was taken since)."""
    user = await ctx.db.get(kit.tables.user, claimed.id_user)
    new_email = str((claimed.data or {}).get("new_email", ""))
    if user is None or user.email != claimed.identifier or not new_email:
        return False
    if await _email_taken(ctx, kit, new_email):
        return False
    user.email = new_email
    user.email_verified = True
    await ctx.db.flush()
    purposes = (PASSWORD_RESET, EMAIL_VERIFICATION, CHANGE_EMAIL)
    await invalidate(ctx, kit, user_id=user.id, purposes=purposes)
    caller = ctx.user
    keep = caller.session_id if isinstance(caller, SessionUser) and caller.id == user.id else None
    await revoke(ctx.db, kit.tables, now=kit.now(), user_id=user.id, keep=keep)
    logger.info("email changed", extra={"user": str(user.id)})
    return True
