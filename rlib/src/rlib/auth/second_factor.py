"""The second factor (spec/workflows.md 1.5): a TOTP code, an emailed code or a backup code.

These routes serve the half-session a 2FA user gets from the first factor (the authenticator
admits it nowhere else) and signed-in users re-proving themselves. Success rotates the token:
the presented session is revoked and a full one, freshly authenticated, replaces it. The first
TOTP code after ``two-factor/enable`` turns 2FA on. Every failure is a failed sign-in of the
account (throttled like a wrong password).
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import select, update

from rlib.auth import mailer
from rlib.auth.attempts import refund, take_send, take_sign_in
from rlib.auth.errors import BackupCodeInvalidError, CodeInvalidError, TwoFactorOffError
from rlib.auth.flows import kit_of, normalize_email, start_session
from rlib.auth.kit import AuthKit
from rlib.auth.otp import OtpRequest, issue_otp, redeem_otp
from rlib.auth.schemas import BackupCode, Done, SecondFactor, SessionResult
from rlib.auth.secretbox import SealError
from rlib.auth.sessions import revoke
from rlib.auth.signin import session_result
from rlib.auth.tables import IdentityColumns, TwoFactorColumns
from rlib.auth.tokens import TWO_FACTOR_OTP
from rlib.auth.totp import accepted_step
from rlib.auth.users import SessionUser, current_user
from rlib.context import Ctx
from rlib.errors import AuthenticationError

logger = logging.getLogger("rlib.auth")

TWO_FACTOR_USE = "two-factor"


async def verify_totp(ctx: Ctx, payload: SecondFactor) -> SessionResult:
    """Check a TOTP code (+-1 step, each step once); the first one turns 2FA on."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    slots = await take_sign_in(ctx, kit, normalize_email(me.email))
    row = await lock_two_factor(ctx, kit, me.id)
    if row is None:
        raise TwoFactorOffError()
    if not check_totp(kit, row, payload.code):
        raise CodeInvalidError()
    await refund(ctx, kit, slots)
    user = await login_of(ctx, kit, me)
    if row.verified_at is None:
        await _turn_on(ctx, kit, row, user, me)
    return await complete(ctx, kit, user)


async def send_otp(ctx: Ctx) -> Done:
    """Mail a six-digit code to the account's address (10 minutes, three guesses)."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    await take_send(ctx, kit, normalize_email(me.email))
    user = await login_of(ctx, kit, me)
    if not user.two_factor_enabled:
        raise TwoFactorOffError()
    code = await issue_otp(ctx, kit, _otp_request(me.id), user_id=me.id)
    context = {"name": user.name, "otp": code, "use": TWO_FACTOR_USE}
    await kit.mailer(ctx, mailer.AuthEmail(mailer.OTP_CODE, user.email, context, ctx.lang))
    return Done(status=True)


async def verify_otp(ctx: Ctx, payload: SecondFactor) -> SessionResult:
    """Complete the second factor with the emailed code."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    slots = await take_sign_in(ctx, kit, normalize_email(me.email))
    if await redeem_otp(ctx, kit, _otp_request(me.id), payload.code) is None:
        raise CodeInvalidError()
    user = await login_of(ctx, kit, me)
    if not user.two_factor_enabled:
        raise TwoFactorOffError()
    await refund(ctx, kit, slots)
    return await complete(ctx, kit, user)


async def verify_backup_code(ctx: Ctx, payload: BackupCode) -> SessionResult:
    """Complete the second factor with a backup code; each code works once."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    slots = await take_sign_in(ctx, kit, normalize_email(me.email))
    row = await lock_two_factor(ctx, kit, me.id)
    if row is None or row.verified_at is None:
        raise TwoFactorOffError()
    if not use_backup_code(kit, row, payload.code):
        raise BackupCodeInvalidError()
    await refund(ctx, kit, slots)
    return await complete(ctx, kit, await login_of(ctx, kit, me))


async def lock_two_factor(ctx: Ctx, kit: AuthKit, user_id: uuid.UUID) -> TwoFactorColumns | None:
    """The login's 2FA row, locked for this transaction.

    A write comes first: it takes the row lock (PostgreSQL) or the write lock (SQLite) before
    anything is read, so two checks of one login's codes run one after the other and the
    second sees the step or backup code the first used.
    """
    t = kit.tables.two_factor
    await ctx.db.execute(
        update(t)
        .where(t.id_user == user_id)
        .values(id_user=t.id_user)
        .execution_options(synchronize_session=False)
    )
    return await ctx.db.scalar(select(t).where(t.id_user == user_id))


def open_secret(kit: AuthKit, row: TwoFactorColumns) -> str | None:
    """The TOTP secret of ``row``; None (logged) when it no longer opens, i.e. the app secret
    changed since enrolment: TOTP then fails like a wrong code, while an emailed code still
    works, so the owner can get in and enrol again."""
    try:
        return kit.box.open(row.secret, owner=str(row.id_user))
    except SealError:
        logger.error(
            "TOTP secret does not open (app secret changed?)", extra={"user": str(row.id_user)}
        )
        return None


def check_totp(kit: AuthKit, row: TwoFactorColumns, code: str) -> bool:
    """Whether ``code`` is a fresh TOTP code of ``row``'s secret; records its step."""
    secret = open_secret(kit, row)
    if secret is None:
        return False
    step = accepted_step(secret, code, now=kit.now(), after=row.last_step)
    if step is None:
        return False
    row.last_step = step
    return True


def use_backup_code(kit: AuthKit, row: TwoFactorColumns, code: str) -> bool:
    """Whether ``code`` is one of ``row``'s unused backup codes; removes it."""
    remaining = kit.codes.without_backup_code(list(row.backup_codes), str(row.id_user), code)
    if remaining is None:
        return False
    row.backup_codes = remaining
    return True


async def complete(ctx: Ctx, kit: AuthKit, user: IdentityColumns) -> SessionResult:
    """Rotate to a full, freshly authenticated session and answer like a sign-in."""
    issued = await start_session(ctx, user_id=user.id, two_factor_verified=True)
    logger.info("second factor", extra={"user": str(user.id), "ip": kit.client_ip(ctx)})
    return await session_result(ctx, kit, user, issued.token)


async def _turn_on(
    ctx: Ctx, kit: AuthKit, row: TwoFactorColumns, user: IdentityColumns, me: SessionUser
) -> None:
    row.verified_at = kit.now()
    user.two_factor_enabled = True
    await ctx.db.flush()
    await two_factor_switched(ctx, kit, user, me, enabled=True)


async def two_factor_switched(
    ctx: Ctx, kit: AuthKit, user: IdentityColumns, me: SessionUser, *, enabled: bool
) -> None:
    """After 2FA was turned on or off: the user's other sessions end (they were opened without
    the second factor, or under the one just removed), the notice is mailed, and it is logged."""
    await revoke(ctx.db, kit.tables, now=kit.now(), user_id=user.id, keep=me.session_id)
    template = mailer.TWO_FACTOR_ENABLED if enabled else mailer.TWO_FACTOR_DISABLED
    context = {"name": user.name, "time": kit.now().isoformat()}
    await kit.mailer(ctx, mailer.AuthEmail(template, user.email, context, ctx.lang))
    event = "two-factor enabled" if enabled else "two-factor disabled"
    logger.info(event, extra={"user": str(user.id)})


async def login_of(ctx: Ctx, kit: AuthKit, me: SessionUser) -> IdentityColumns:
    """The signed-in user's login row; 401 when it is gone."""
    user = await ctx.db.get(kit.tables.user, me.id)
    if user is None:
        raise AuthenticationError()
    return user


def _otp_request(user_id: uuid.UUID) -> OtpRequest:
    return OtpRequest(TWO_FACTOR_OTP, str(user_id), TWO_FACTOR_USE)
