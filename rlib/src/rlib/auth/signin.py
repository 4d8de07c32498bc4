"""Sign-up, sign-in (email or username), sign-out and get-session.

Sign-in reserves its throttle slots before argon2 runs (so a flood never reaches the hasher),
verifies against a dummy hash for unknown accounts and answers every failure with the same
401, so nobody learns which accounts exist.
"""

from __future__ import annotations

import logging
import uuid
from urllib.parse import quote

from sqlalchemy import ColumnElement, func, select

from rlib.auth import mailer
from rlib.auth.attempts import CREDENTIAL, refund, take_sign_in
from rlib.auth.credentials import PasswordReason, set_new_password
from rlib.auth.errors import BadCredentialsError
from rlib.auth.flows import end_session, kit_of, normalize_email, start_session
from rlib.auth.kit import AuthKit
from rlib.auth.rules import check_new_password
from rlib.auth.schemas import (
    Done,
    SessionInfo,
    SessionView,
    SignInEmail,
    SignInResult,
    SignInUsername,
    SignUpEmail,
    UserView,
)
from rlib.auth.tables import AccountColumns, IdentityColumns, SessionColumns
from rlib.auth.tokens import EMAIL_VERIFICATION, issue_link
from rlib.auth.users import SessionUser, current_user
from rlib.context import Ctx
from rlib.throttle import ip_bucket

logger = logging.getLogger("rlib.auth")


def user_view(user: IdentityColumns, session_user: SessionUser | None = None) -> UserView:
    """The owner's view of a login."""
    return UserView(
        id=user.id,
        name=user.name,
        email=user.email,
        emailVerified=user.email_verified,
        image=user.image,
        username=user.username,
        twoFactorEnabled=user.two_factor_enabled,
        profiles=dict(session_user.profiles) if session_user else {},
        roles=sorted(session_user.roles) if session_user else [],
    )


async def find_login(
    ctx: Ctx, kit: AuthKit, match: ColumnElement[bool]
) -> tuple[IdentityColumns, AccountColumns | None] | None:
    """The live login matching ``match`` and its password credential (if any)."""
    u, a = kit.tables.user, kit.tables.account
    stmt = (
        select(u, a)
        .outerjoin(a, (a.id_user == u.id) & (a.id_provider == CREDENTIAL))
        .where(match, u.deleted_at.is_(None))
    )
    row = (await ctx.db.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def sign_up_email(ctx: Ctx, payload: SignUpEmail) -> Done:
    """Create a login; the same answer whether or not the email was already registered."""
    await sign_up(ctx, payload)
    return Done(status=True)


async def sign_up(ctx: Ctx, payload: SignUpEmail) -> uuid.UUID | None:
    """Throttled sign-up for app endpoints that add a profile (esensi's ``register``):
    the new login's id, or None when the email was taken (its owner is told by mail)."""
    kit = kit_of(ctx)
    await kit.throttle.take(
        ctx.unit, "signup:ip:" + ip_bucket(kit.client_ip(ctx)), kit.config.throttles.sign_up_ip
    )
    return await create_login(ctx, kit, payload)


async def create_login(ctx: Ctx, kit: AuthKit, payload: SignUpEmail) -> uuid.UUID | None:
    """Insert the login and its credential and mail a verification link; None when the email
    is taken (its owner is told by mail instead)."""
    # Checked before the address is looked up, so a taken address answers like a free one.
    check_new_password(payload.password)
    email = normalize_email(payload.email)
    callback = kit.check_redirect(payload.callbackURL, field="callbackURL")
    existing = await find_login(ctx, kit, func.lower(kit.tables.user.email) == email)
    if existing is not None:
        context = {"name": existing[0].name}
        await kit.mailer(ctx, mailer.AuthEmail(mailer.ACCOUNT_EXISTS, email, context, ctx.lang))
        return None
    user = kit.tables.user(name=payload.name, email=email, image=payload.image)
    ctx.db.add(user)
    await ctx.db.flush()
    await set_new_password(ctx, kit, user, payload.password, reason=PasswordReason.CREATE)
    await send_verification(ctx, kit, user, callback=callback)
    return user.id


async def send_verification(
    ctx: Ctx, kit: AuthKit, user: IdentityColumns, *, callback: str | None = None
) -> None:
    """Mail a single-use, 24-hour email verification link (on the configured auth origin)."""
    token = await issue_link(
        ctx, kit, purpose=EMAIL_VERIFICATION, user=user, lifetime_s=kit.config.verify_token_s
    )
    url = kit.base_url() + "/api/auth/verify-email?token=" + token
    if callback is not None:
        url += "&callbackURL=" + quote(callback, safe="")
    context = {"name": user.name, "url": url}
    await kit.mailer(
        ctx, mailer.AuthEmail(mailer.EMAIL_VERIFICATION, user.email, context, ctx.lang)
    )


async def sign_in_email(ctx: Ctx, payload: SignInEmail) -> SignInResult:
    """Sign in with email and password (throttled; one answer for every failure)."""
    kit = kit_of(ctx)
    key = normalize_email(payload.email)
    match = func.lower(kit.tables.user.email) == key
    return await _sign_in(ctx, kit, key, match, payload.password)


async def sign_in_username(ctx: Ctx, payload: SignInUsername) -> SignInResult:
    """Sign in with username and password."""
    kit = kit_of(ctx)
    key = payload.username.strip().lower()
    match = func.lower(kit.tables.user.username) == key
    return await _sign_in(ctx, kit, key, match, payload.password)


async def _sign_in(
    ctx: Ctx, kit: AuthKit, key: str, match: ColumnElement[bool], password: str
) -> SignInResult:
    slots = await take_sign_in(ctx, kit, key)
    found = await find_login(ctx, kit, match)
    stored = found[1].password if found and found[1] else None
    verdict = await kit.hasher.verify(stored, password)
    if found is None or not verdict.ok:
        logger.info("sign-in failed", extra={"ip": kit.client_ip(ctx)})
        raise BadCredentialsError()
    user, account = found
    await refund(ctx, kit, slots)
    if verdict.new_hash and account is not None:
        account.password = verdict.new_hash
    return await signed_in(ctx, kit, user)


async def signed_in(ctx: Ctx, kit: AuthKit, user: IdentityColumns) -> SignInResult:
    """Open a session for ``user`` after a first factor (password or emailed code): a full
    one, or a half-session limited to the two-factor routes when 2FA is on."""
    issued = await start_session(
        ctx, user_id=user.id, two_factor_verified=not user.two_factor_enabled
    )
    logger.info("sign-in", extra={"user": str(user.id), "ip": kit.client_ip(ctx)})
    if user.two_factor_enabled:
        return SignInResult(token=issued.token, twoFactorRedirect=True, user=None)
    return await full_result(ctx, kit, user, issued.token)


async def full_result(ctx: Ctx, kit: AuthKit, user: IdentityColumns, token: str) -> SignInResult:
    """The answer of a completed sign-in: the token and the user with profiles and roles."""
    profiles, roles = await kit.user_types.load(ctx.db, user.id)
    view = user_view(user, SessionUser(id=user.id, profiles=profiles, roles=roles))
    return SignInResult(token=token, twoFactorRedirect=False, user=view)


async def sign_out(ctx: Ctx) -> Done:
    """Revoke this session and its hand-off family; expire the cookie."""
    await end_session(ctx)
    return Done(status=True)


async def get_session(ctx: Ctx) -> SessionView | None:
    """The current session and user, or null."""
    ctx.response_headers["Cache-Control"] = "no-store"
    if not isinstance(ctx.user, SessionUser) or ctx.user.session_id is None:
        return None
    me = current_user(ctx)
    kit = kit_of(ctx)
    row = await ctx.db.get(kit.tables.session, me.session_id)
    user = await ctx.db.get(kit.tables.user, me.id)
    if row is None or user is None:
        return None
    return SessionView(session=session_info(row, current=True), user=user_view(user, me))


def session_info(row: SessionColumns, *, current: bool) -> SessionInfo:
    """Metadata of a session row (never its token hash)."""
    return SessionInfo(
        id=row.id,
        expiresAt=row.expires_at,
        createdAt=row.created_at,
        ipAddress=row.ip_address,
        userAgent=row.user_agent,
        current=current,
    )
