"""Email verification and password reset (spec/workflows.md 1.1, 1.3).

Requests for a link answer alike whether or not the account exists; links are single use,
claimed in one guarded statement, bound to the address they were sent to, and never sign in.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from sqlalchemy import func, update
from starlette.responses import RedirectResponse, Response

from rlib.auth import mailer
from rlib.auth.account import apply_email_change
from rlib.auth.attempts import take_send
from rlib.auth.credentials import PasswordReason, set_new_password
from rlib.auth.errors import TokenInvalidError
from rlib.auth.flows import kit_of, normalize_email
from rlib.auth.kit import AuthKit
from rlib.auth.schemas import (
    Done,
    ForgetPassword,
    ResetPassword,
    ResetPasswordLink,
    SendVerification,
    Verified,
    VerifyEmail,
)
from rlib.auth.signin import find_login, send_verification
from rlib.auth.tables import IdentityColumns
from rlib.auth.tokens import (
    CHANGE_EMAIL,
    EMAIL_VERIFICATION,
    PASSWORD_RESET,
    Claimed,
    claim_link,
    issue_link,
    link_is_live,
)
from rlib.context import Ctx
from rlib.throttle import ip_bucket

logger = logging.getLogger("rlib.auth")


async def _user_by_email(ctx: Ctx, kit: AuthKit, email: str) -> IdentityColumns | None:
    found = await find_login(ctx, kit, func.lower(kit.tables.user.email) == email)
    return None if found is None else found[0]


async def send_verification_email(ctx: Ctx, payload: SendVerification) -> Done:
    """Mail a new verification link to an unverified account; the same answer for any email."""
    kit = kit_of(ctx)
    email = normalize_email(payload.email)
    callback = kit.check_redirect(payload.callbackURL, field="callbackURL")
    await take_send(ctx, kit, email)
    user = await _user_by_email(ctx, kit, email)
    if user is not None and not user.email_verified:
        await send_verification(ctx, kit, user, callback=callback)
    return Done(status=True)


async def verify_email(ctx: Ctx, payload: VerifyEmail) -> Verified | Response:
    """Claim a verification (or change-email) link; redirect to ``callbackURL`` when given."""
    kit = kit_of(ctx)
    callback = kit.check_redirect(payload.callbackURL, field="callbackURL")
    ok = await _verify(ctx, kit, payload.token)
    if callback is not None:
        target = callback if ok else _with_query(callback, "error=invalid_token")
        return RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})
    if not ok:
        raise TokenInvalidError()
    return Verified(status=True, user=None)


def _with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


async def _verify(ctx: Ctx, kit: AuthKit, token: str) -> bool:
    claimed = await claim_link(ctx, kit, purpose=EMAIL_VERIFICATION, token=token)
    if claimed is not None:
        return await _mark_verified(ctx, kit, claimed)
    claimed = await claim_link(ctx, kit, purpose=CHANGE_EMAIL, token=token)
    if claimed is not None:
        return await apply_email_change(ctx, kit, claimed)
    return False


async def _mark_verified(ctx: Ctx, kit: AuthKit, claimed: Claimed) -> bool:
    u = kit.tables.user
    # Bound to the address it was sent to: after an email change the old link is dead.
    result = await ctx.db.execute(
        update(u)
        .where(u.id == claimed.id_user, u.email == claimed.identifier)
        .values(email_verified=True)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def forget_password(ctx: Ctx, payload: ForgetPassword) -> Done:
    """Mail a one-hour reset link to a known account; the same answer for any email."""
    kit = kit_of(ctx)
    email = normalize_email(payload.email)
    redirect = kit.check_redirect(payload.redirectTo, field="redirectTo")
    rules = kit.config.throttles
    await kit.throttle.take(ctx.unit, "reset:ip:" + ip_bucket(kit.client_ip(ctx)), rules.reset_ip)
    await kit.throttle.take(ctx.unit, "reset:account:" + email, rules.reset_account)
    user = await _user_by_email(ctx, kit, email)
    if user is None:
        return Done(status=True)
    token = await issue_link(
        ctx, kit, purpose=PASSWORD_RESET, user=user, lifetime_s=kit.config.reset_token_s
    )
    url = _with_query(redirect or kit.base_url() + "/reset-password", "token=" + token)
    await kit.mailer(
        ctx,
        mailer.AuthEmail(
            mailer.PASSWORD_RESET, user.email, {"name": user.name, "url": url}, ctx.lang
        ),
    )
    return Done(status=True)


async def reset_password_link(ctx: Ctx, payload: ResetPasswordLink) -> Response:
    """better-auth's reset link: redirect to ``callbackURL`` with ``?token=`` while the token is
    pending (it is not claimed here), else with ``?error=INVALID_TOKEN``."""
    kit = kit_of(ctx)
    callback = kit.check_redirect(payload.callbackURL, field="callbackURL")
    assert callback is not None  # a required field
    live = await link_is_live(ctx, kit, purpose=PASSWORD_RESET, token=payload.token)
    query = "token=" + quote(payload.token, safe="") if live else "error=INVALID_TOKEN"
    return RedirectResponse(
        _with_query(callback, query), status_code=302, headers={"Cache-Control": "no-store"}
    )


async def reset_password(ctx: Ctx, payload: ResetPassword) -> Done:
    """Set a new password from a reset link; every session of the login is revoked."""
    kit = kit_of(ctx)
    # A refused password rolls the claim back with the request: the link stays usable.
    claimed = await claim_link(ctx, kit, purpose=PASSWORD_RESET, token=payload.token)
    user = None if claimed is None else await ctx.db.get(kit.tables.user, claimed.id_user)
    if claimed is None or user is None or user.email != claimed.identifier:
        raise TokenInvalidError()
    await set_new_password(
        ctx, kit, user, payload.newPassword, reason=PasswordReason.RESET, field="newPassword"
    )
    await kit.throttle.clear(ctx.unit, "signin:account:" + normalize_email(user.email))
    return Done(status=True)
