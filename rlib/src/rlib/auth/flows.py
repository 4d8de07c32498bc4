"""Session steps shared by the auth routes and the app's own account endpoints.

Handlers reach the auth kit through the request (:func:`kit_of`), put there by the
authenticator, so app endpoints such as onboarding can rotate the session without global state.
"""

from __future__ import annotations

import datetime as dt
import uuid

from rlib.auth.kit import AuthKit
from rlib.auth.sessions import Issued, clear_cookie, issue, revoke, set_cookie
from rlib.auth.users import SessionUser
from rlib.context import Ctx

_STATE_KEY = "rlib_auth_kit"


def attach_kit(ctx: Ctx, kit: AuthKit) -> None:
    """Make ``kit`` reachable from ``ctx`` for the rest of the request."""
    setattr(ctx.req.state, _STATE_KEY, kit)


def kit_of(ctx: Ctx) -> AuthKit:
    """The auth kit of the app serving ``ctx``.

    Raises:
        RuntimeError: when the app was built without the auth layer.
    """
    kit = getattr(ctx.req.state, _STATE_KEY, None)
    if not isinstance(kit, AuthKit):
        raise RuntimeError("the auth layer is not installed on this app")
    return kit


def normalize_email(email: str) -> str:
    """The account key of an email: trimmed and lower-cased."""
    return email.strip().lower()


async def start_session(
    ctx: Ctx,
    *,
    user_id: uuid.UUID,
    two_factor_verified: bool = True,
    family_id: uuid.UUID | None = None,
    expires_at: dt.datetime | None = None,
    authenticated_at: dt.datetime | None = None,
) -> Issued:
    """Sign ``user_id`` in: revoke the presented session (rotation), issue a new one, set the
    cookie. The lifetime is the strictest of the user types the login holds now; a hand-off
    passes the family, absolute expiry and sign-in time of the session it continues."""
    kit = kit_of(ctx)
    now = kit.now()
    await _revoke_presented(ctx, kit)
    profiles, _ = await kit.user_types.load(ctx.db, user_id)
    issued = await issue(
        ctx.db,
        kit.tables,
        user_id=user_id,
        lifetime=kit.lifetime(profiles),
        now=now,
        ip=kit.client_ip(ctx),
        user_agent=ctx.req.headers.get("user-agent"),
        two_factor_verified=two_factor_verified,
        family_id=family_id,
        expires_at=expires_at,
        authenticated_at=authenticated_at,
    )
    max_age = int((issued.row.expires_at - now).total_seconds())
    ctx.response_headers["Set-Cookie"] = set_cookie(
        issued.token, max_age=max_age, secure=kit.secure(ctx)
    )
    ctx.response_headers["Cache-Control"] = "no-store"
    # better-auth's bearer plugin: a client without cookies reads the new token here.
    ctx.response_headers["set-auth-token"] = issued.token
    ctx.response_headers["Access-Control-Expose-Headers"] = "set-auth-token"
    return issued


async def rotate_session(ctx: Ctx) -> Issued:
    """A new token for the signed-in user after a privilege change (new profile, role, 2FA);
    the old token stops working at once. The new session stays in the old one's hand-off
    family, so signing out on another host still ends it."""
    user = ctx.user
    if not isinstance(user, SessionUser):
        raise RuntimeError("rotate_session needs a signed-in user")
    family_id = None
    if user.session_id is not None:
        row = await ctx.db.get(kit_of(ctx).tables.session, user.session_id)
        family_id = None if row is None else row.family_id
    return await start_session(ctx, user_id=user.id, family_id=family_id)


async def end_session(ctx: Ctx) -> None:
    """Revoke the presented session and its hand-off family; send an expired cookie."""
    kit = kit_of(ctx)
    await _revoke_presented(ctx, kit, family=True)
    ctx.response_headers["Set-Cookie"] = clear_cookie(secure=kit.secure(ctx))
    ctx.response_headers["Cache-Control"] = "no-store"


async def _revoke_presented(ctx: Ctx, kit: AuthKit, *, family: bool = False) -> None:
    user = ctx.user
    if not isinstance(user, SessionUser) or user.session_id is None:
        return
    row = await ctx.db.get(kit.tables.session, user.session_id)
    family_id = row.family_id if row is not None and family else None
    await revoke(
        ctx.db,
        kit.tables,
        now=kit.now(),
        user_id=user.id,
        session_id=user.session_id,
        family_id=family_id,
    )
