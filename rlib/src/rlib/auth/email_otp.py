"""Email one-time codes (better-auth's ``email-otp`` plugin; spec/workflows.md 1.4).

``email-otp/send-verification-otp`` mails a six-digit code (10 minutes, single use, three
guesses) and answers the same for unknown addresses, sending nothing. The code verifies the
address (``email-otp/verify-email``) or signs in (``sign-in/email-otp``); a wrong code counts
as a failed sign-in of that address.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, update

from rlib.auth import mailer
from rlib.auth.attempts import refund, take_send, take_sign_in
from rlib.auth.errors import OtpInvalidError
from rlib.auth.flows import kit_of, normalize_email
from rlib.auth.kit import AuthKit
from rlib.auth.otp import OtpRequest, issue_otp, redeem_otp
from rlib.auth.schemas import (
    EmailOtp,
    OtpVerified,
    SendOtp,
    SessionResult,
    Succeeded,
    TwoFactorPending,
)
from rlib.auth.signin import find_login, load_user_view, signed_in
from rlib.auth.tokens import EMAIL_OTP
from rlib.context import Ctx

logger = logging.getLogger("rlib.auth")

SIGN_IN = "sign-in"
EMAIL_VERIFICATION = "email-verification"


async def send_verification_otp(ctx: Ctx, payload: SendOtp) -> Succeeded:
    """Mail a code for signing in or verifying the address; the same answer for any email."""
    kit = kit_of(ctx)
    email = normalize_email(payload.email)
    await take_send(ctx, kit, email)
    found = await find_login(ctx, kit, func.lower(kit.tables.user.email) == email)
    user = None if found is None else found[0]
    if user is None or (payload.type == EMAIL_VERIFICATION and user.email_verified):
        return Succeeded(success=True)
    want = OtpRequest(EMAIL_OTP, email, payload.type)
    code = await issue_otp(ctx, kit, want, user_id=user.id)
    context = {"name": user.name, "otp": code, "use": payload.type}
    await kit.mailer(ctx, mailer.AuthEmail(mailer.OTP_CODE, user.email, context, ctx.lang))
    return Succeeded(success=True)


async def verify_email_otp(ctx: Ctx, payload: EmailOtp) -> OtpVerified:
    """Mark the address verified with its emailed code (no session is opened)."""
    kit = kit_of(ctx)
    email = normalize_email(payload.email)
    slots = await take_sign_in(ctx, kit, email)
    claimed = await redeem_otp(
        ctx, kit, OtpRequest(EMAIL_OTP, email, EMAIL_VERIFICATION), payload.otp
    )
    if claimed is None or not await _mark_verified(ctx, kit, claimed.id_user, email):
        raise OtpInvalidError()
    await refund(ctx, kit, slots)
    user = await ctx.db.get(kit.tables.user, claimed.id_user)
    if user is None:
        raise OtpInvalidError()
    return OtpVerified(status=True, token=None, user=await load_user_view(ctx, kit, user))


async def sign_in_email_otp(ctx: Ctx, payload: EmailOtp) -> SessionResult | TwoFactorPending:
    """Sign in with an emailed code: a session like ``sign-in/email`` (a half-session when
    2FA is on). The code proves the address, so it is marked verified too."""
    kit = kit_of(ctx)
    email = normalize_email(payload.email)
    slots = await take_sign_in(ctx, kit, email)
    claimed = await redeem_otp(ctx, kit, OtpRequest(EMAIL_OTP, email, SIGN_IN), payload.otp)
    if claimed is None or not await _mark_verified(ctx, kit, claimed.id_user, email):
        logger.info("sign-in failed", extra={"ip": kit.client_ip(ctx)})
        raise OtpInvalidError()
    await refund(ctx, kit, slots)
    user = await ctx.db.get(kit.tables.user, claimed.id_user)
    if user is None:
        raise OtpInvalidError()
    result = await signed_in(ctx, kit, user)
    if isinstance(result, TwoFactorPending):
        return result
    return SessionResult(token=result.token, user=result.user)


async def _mark_verified(ctx: Ctx, kit: AuthKit, user_id: object, email: str) -> bool:
    # Bound to the address the code went to: after an email change the code is dead.
    u = kit.tables.user
    result = await ctx.db.execute(
        update(u)
        .where(u.id == user_id, func.lower(u.email) == email, u.deleted_at.is_(None))
        .values(email_verified=True)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))
