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
from rlib.auth.errors import BadCredentialsError, BadUsernameCredentialsError, NoSessionError
from rlib.auth.flows import end_session, kit_of, normalize_email, start_session
from rlib.auth.kit import AuthKit
from rlib.auth.rules import check_new_password
from rlib.auth.schemas import (
    SessionInfo,
    SessionResult,
    SessionView,
    SignedUp,
    SignInEmail,
    SignInResult,
    SignInUsername,
    SignUpEmail,
    Succeeded,
    TwoFactorPending,
    UserView,
)
from rlib.auth.sessions import clear_cookie
from rlib.auth.tables import AccountColumns, IdentityColumns, SessionColumns
from rlib.auth.tokens import EMAIL_VERIFICATION, issue_link
from rlib.auth.users import SessionUser, current_user
from rlib.context import Ctx
from rlib.throttle import ip_bucket

logger = logging.getLogger("rlib.auth")


def user_view(kit: AuthKit, user: IdentityColumns, session_user: SessionUser) -> UserView:
    """better-auth's user object for the owner, with the profile ids and role flags of
    ``session_user`` (never a secret)."""
    created = user.created_at
    return UserView(
        id=user.id,
        name=user.name,
        email=user.email,
        emailVerified=user.email_verified,
        image=user.image,
        createdAt=created,
        updatedAt=getattr(user, "updated_at", None) or created,
        username=user.username,
        displayUsername=user.display_username,
        twoFactorEnabled=user.two_factor_enabled,
        **kit.user_types.user_fields(session_user.profiles, session_user.roles),
    )


async def load_user_view(ctx: Ctx, kit: AuthKit, user: IdentityColumns) -> UserView:
    """:func:`user_view` with the login's profiles and roles read now."""
    profiles, roles = await kit.user_types.load(ctx.db, user.id)
    return user_view(kit, user, SessionUser(id=user.id, profiles=profiles, roles=roles))


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


async def sign_up_email(ctx: Ctx, payload: SignUpEmail) -> SignedUp:
    """Create a login; no session until the address is verified. An email already registered
    gets the same answer (a user object that is never stored), so nobody learns which
    addresses have accounts; its owner is told by mail."""
    kit = kit_of(ctx)
    user_id = await sign_up(ctx, payload)
    user = None if user_id is None else await ctx.db.get(kit.tables.user, user_id)
    if user is None:
        return SignedUp(token=None, user=_unstored_user(ctx, kit, payload))
    return SignedUp(token=None, user=await load_user_view(ctx, kit, user))


def _unstored_user(ctx: Ctx, kit: AuthKit, payload: SignUpEmail) -> UserView:
    now = kit.now()
    return UserView(
        id=uuid.uuid4(),
        name=payload.name,
        email=normalize_email(payload.email),
        emailVerified=False,
        image=payload.image,
        createdAt=now,
        updatedAt=now,
        username=None,
        displayUsername=None,
        twoFactorEnabled=False,
        **kit.user_types.user_fields({}, ()),
    )


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


async def sign_in_email(ctx: Ctx, payload: SignInEmail) -> SignInResult | TwoFactorPending:
    """Sign in with email and password (throttled; one answer for every failure)."""
    kit = kit_of(ctx)
    key = normalize_email(payload.email)
    match = func.lower(kit.tables.user.email) == key
    callback = kit.check_redirect(payload.callbackURL, field="callbackURL")
    user = await _sign_in(ctx, kit, key, match, payload.password, BadCredentialsError)
    return await signed_in(ctx, kit, user, callback=callback)


async def sign_in_username(ctx: Ctx, payload: SignInUsername) -> SignInResult | TwoFactorPending:
    """Sign in with username and password."""
    kit = kit_of(ctx)
    key = payload.username.strip().lower()
    match = func.lower(kit.tables.user.username) == key
    callback = kit.check_redirect(payload.callbackURL, field="callbackURL")
    user = await _sign_in(ctx, kit, key, match, payload.password, BadUsernameCredentialsError)
    return await signed_in(ctx, kit, user, callback=callback)


async def _sign_in(
    ctx: Ctx,
    kit: AuthKit,
    key: str,
    match: ColumnElement[bool],
    password: str,
    failure: type[BadCredentialsError],
) -> IdentityColumns:
    async with kit.hasher.admission():  # a flood waits here, holding no connection
        slots = await take_sign_in(ctx, kit, key)
        found = await find_login(ctx, kit, match)
        stored = found[1].password if found and found[1] else None
        verdict = await kit.hasher.verify(stored, password)
    if found is None or not verdict.ok:
        logger.info("sign-in failed", extra={"ip": kit.client_ip(ctx)})
        raise failure()
    user, account = found
    await refund(ctx, kit, slots)
    if verdict.new_hash and account is not None:
        account.password = verdict.new_hash
    return user


async def signed_in(
    ctx: Ctx, kit: AuthKit, user: IdentityColumns, *, callback: str | None = None
) -> SignInResult | TwoFactorPending:
    """Open a session for ``user`` after a first factor (password or emailed code): a full
    one, or a half-session limited to the two-factor routes when 2FA is on."""
    issued = await start_session(
        ctx, user_id=user.id, two_factor_verified=not user.two_factor_enabled
    )
    logger.info("sign-in", extra={"user": str(user.id), "ip": kit.client_ip(ctx)})
    if user.two_factor_enabled:
        return TwoFactorPending(twoFactorRedirect=True, twoFactorMethods=["totp", "otp"])
    view = await load_user_view(ctx, kit, user)
    return SignInResult(redirect=callback is not None, token=issued.token, url=callback, user=view)


async def session_result(
    ctx: Ctx, kit: AuthKit, user: IdentityColumns, token: str
) -> SessionResult:
    """``{token, user}``: the answer of a second factor or an emailed-code sign-in."""
    return SessionResult(token=token, user=await load_user_view(ctx, kit, user))


async def sign_out(ctx: Ctx) -> Succeeded:
    """Revoke this session and its hand-off family; expire the cookie. Without a session:
    better-auth's 400 ``FAILED_TO_GET_SESSION`` (the cookie is expired all the same)."""
    if not isinstance(ctx.user, SessionUser):
        kit = kit_of(ctx)
        raise NoSessionError(headers={"Set-Cookie": clear_cookie(secure=kit.secure(ctx))})
    await end_session(ctx)
    return Succeeded(success=True)


async def get_session(ctx: Ctx) -> SessionView | None:
    """The current session and user, or null (also while the second factor is pending: to
    better-auth's client nobody is signed in yet)."""
    ctx.response_headers["Cache-Control"] = "no-store"
    caller = ctx.user
    if not isinstance(caller, SessionUser) or caller.session_id is None:
        return None
    if not caller.two_factor_verified:
        return None
    me = current_user(ctx)
    kit = kit_of(ctx)
    row = await ctx.db.get(kit.tables.session, me.session_id)
    user = await ctx.db.get(kit.tables.user, me.id)
    if row is None or user is None:
        return None
    return SessionView(session=session_info(row, current=True), user=user_view(kit, user, me))


def session_info(row: SessionColumns, *, current: bool) -> SessionInfo:
    """better-auth's session object for a row (its id as the handle, never the token)."""
    return SessionInfo(
        id=row.id,
        token=str(row.id),
        userId=row.id_user,
        expiresAt=row.expires_at,
        createdAt=row.created_at,
        updatedAt=getattr(row, "updated_at", None) or row.created_at,
        ipAddress=row.ip_address,
        userAgent=row.user_agent,
        current=current,
    )
