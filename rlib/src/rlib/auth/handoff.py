"""One sign-in across the app's hosts (security.md X1, X2; spec/workflows.md 1.9).

Every host keeps its own ``__Host-`` session cookie and session row; no token ever crosses
hosts. A host without a session keeps a ``state`` nonce in a ``__Host-handoff`` cookie and
sends the browser to the auth host. If signed in there (second factor done), the auth host
issues a 60-second single-use code bound to the target origin, the state and its own session,
and sends the browser back. The target host claims the code in one guarded UPDATE, checks the
state against its cookie (nobody can sign a victim into the attacker's account) and mints its
own session in the auth session's family, with the same login, absolute expiry and sign-in
time. Signing out on any host revokes the whole family (:func:`rlib.auth.flows.end_session`).

The three GET routes are public: the state cookie and the code are the credentials, and an
anonymous caller of the auth-host step is sent to the sign-in page rather than to a JSON 401
it cannot act on (this is a browser navigation).
"""

from __future__ import annotations

import hmac
import logging
import secrets
import uuid
from urllib.parse import quote, urlencode, urlsplit

from sqlalchemy import select
from starlette.responses import RedirectResponse

from rlib.auth.errors import HandoffStateError, HandoffUnavailableError, TokenInvalidError
from rlib.auth.flows import kit_of, start_session
from rlib.auth.kit import AuthKit
from rlib.auth.redirects import safe_redirect
from rlib.auth.schemas import HandoffBegin, HandoffRedeem, HandoffStart
from rlib.auth.sessions import cookie_header, hash_token
from rlib.auth.tables import SessionColumns
from rlib.auth.tokens import HANDOFF, Claimed, claim_link, issue_secret
from rlib.auth.users import SessionUser
from rlib.context import Ctx
from rlib.errors import FieldError, ValidationError

logger = logging.getLogger("rlib.auth")

START_PATH = "/api/auth/handoff"
REDEEM_PATH = "/api/auth/handoff/redeem"
STATE_COOKIE_SECURE = "__Host-handoff"
STATE_COOKIE_PLAIN = "handoff"  # over plain http browsers refuse the __Host- prefix


def state_cookie_name(secure: bool) -> str:
    """``__Host-handoff`` over https, ``handoff`` over http."""
    return STATE_COOKIE_SECURE if secure else STATE_COOKIE_PLAIN


async def handoff_begin(ctx: Ctx, payload: HandoffBegin) -> RedirectResponse:
    """Target host: keep a fresh state in the hand-off cookie and go to the auth host.

    Already signed in here: straight to ``return_to``.
    """
    kit = kit_of(ctx)
    own = _own_host(ctx, kit)
    target = safe_redirect(payload.return_to, origins={own}, default_origin=own)
    if target is None:
        raise _bad_return_to()
    if isinstance(ctx.user, SessionUser):
        return _redirect(_local(target))
    state = secrets.token_urlsafe(32)
    secure = kit.secure(ctx)
    cookie = cookie_header(
        state_cookie_name(secure), state, max_age=kit.config.handoff_state_s, secure=secure
    )
    query = urlencode({"return_to": target, "state": state})
    return _redirect(f"{_auth_origin(kit)}{START_PATH}?{query}", cookie)


async def handoff_start(ctx: Ctx, payload: HandoffStart) -> RedirectResponse:
    """Auth host: issue a code for the signed-in user and send it to the target's redeem URL;
    without a (fully verified) session, go to the sign-in page and come back here after."""
    kit = kit_of(ctx)
    auth = _auth_origin(kit)
    if kit.request_origin(ctx) != auth:
        raise HandoffUnavailableError()
    target = safe_redirect(payload.return_to, origins=kit.host_origins(), default_origin=auth)
    if target is None:
        raise _bad_return_to()
    user = ctx.user
    session = None
    # The authenticator hides a half (2FA pending) session from this route; checked again so
    # that a second factor can never be skipped by hopping hosts.
    if isinstance(user, SessionUser) and user.session_id and user.two_factor_verified:
        session = await ctx.db.get(kit.tables.session, user.session_id)
    if session is None:
        return _redirect(_sign_in_url(ctx, kit, auth))
    if session.family_id is None:
        session.family_id = uuid.uuid4()
    origin = _origin(target)
    code = await issue_secret(
        ctx,
        kit,
        purpose=HANDOFF,
        user_id=session.id_user,
        identifier=origin,
        lifetime_s=kit.config.handoff_s,
        data={"state": hash_token(payload.state), "session": str(session.id), "to": target},
    )
    logger.info("hand-off issued", extra={"user": str(session.id_user), "target": origin})
    return _redirect(f"{origin}{REDEEM_PATH}?{urlencode({'code': code, 'state': payload.state})}")


async def handoff_redeem(ctx: Ctx, payload: HandoffRedeem) -> RedirectResponse:
    """Target host: claim the code, start this host's session in the auth session's family,
    drop the state cookie and land on ``return_to`` (without the code in the URL)."""
    kit = kit_of(ctx)
    own = _own_host(ctx, kit)
    kept = ctx.req.cookies.get(STATE_COOKIE_SECURE) or ctx.req.cookies.get(STATE_COOKIE_PLAIN)
    if kept is None or not hmac.compare_digest(kept.encode(), payload.state.encode()):
        raise HandoffStateError()
    claimed = await claim_link(ctx, kit, purpose=HANDOFF, token=payload.code)
    source, landing = await _source_session(ctx, kit, claimed, own=own, state=payload.state)
    if source.family_id is None:
        source.family_id = uuid.uuid4()
    await start_session(
        ctx,
        user_id=source.id_user,
        family_id=source.family_id,
        expires_at=source.expires_at,
        authenticated_at=source.authenticated_at,
    )
    secure = kit.secure(ctx)
    cleared = cookie_header(state_cookie_name(secure), "", max_age=0, secure=secure)
    logger.info("hand-off redeemed", extra={"user": str(source.id_user), "target": own})
    # start_session put this host's session cookie on the context; a redirect carries it.
    return _redirect(_local(landing), ctx.response_headers["Set-Cookie"], cleared)


async def _source_session(
    ctx: Ctx, kit: AuthKit, claimed: Claimed | None, *, own: str, state: str
) -> tuple[SessionColumns, str]:
    """The live, fully verified auth-host session a claimed code was issued from and the URL
    to land on; 400 when the code is unknown, used, expired, bound to another origin or state,
    or its session has ended."""
    data = (claimed.data or {}) if claimed else {}
    bound_state = str(data.get("state", ""))
    if (
        claimed is None
        or claimed.identifier != own
        or not hmac.compare_digest(bound_state.encode(), hash_token(state).encode())
    ):
        raise TokenInvalidError()
    s, u = kit.tables.session, kit.tables.user
    now = kit.now()
    source = await ctx.db.scalar(
        select(s)
        .join(u, u.id == s.id_user)
        .where(
            s.id == uuid.UUID(str(data.get("session"))),
            s.id_user == claimed.id_user,
            s.revoked_at.is_(None),
            s.expires_at > now,
            s.idle_expires_at > now,
            s.two_factor_verified.is_(True),
            u.deleted_at.is_(None),
        )
    )
    if source is None:
        raise TokenInvalidError()
    return source, str(data.get("to", "/"))


def _own_host(ctx: Ctx, kit: AuthKit) -> str:
    """The request's origin, when it is one of the configured hosts."""
    origin = kit.request_origin(ctx)
    if origin not in kit.host_origins():
        raise HandoffUnavailableError()
    return origin


def _auth_origin(kit: AuthKit) -> str:
    auth = kit.base_url("auth").lower()
    if not auth:
        raise HandoffUnavailableError()
    return auth


def _sign_in_url(ctx: Ctx, kit: AuthKit, auth: str) -> str:
    """The auth host's sign-in page, told to come back to this very hand-off request."""
    url = ctx.req.url
    back = url.path + ("?" + url.query if url.query else "")
    return f"{auth}{kit.config.sign_in_path}?callbackURL={quote(back, safe='')}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _local(url: str) -> str:
    """Path and query of an absolute URL (the landing page on the same host)."""
    parts = urlsplit(url)
    return (parts.path or "/") + ("?" + parts.query if parts.query else "")


def _redirect(location: str, *cookies: str) -> RedirectResponse:
    response = RedirectResponse(
        location,
        status_code=302,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )
    for cookie in cookies:
        response.headers.append("set-cookie", cookie)
    return response


def _bad_return_to() -> ValidationError:
    return ValidationError([FieldError(loc=("query", "return_to"), key="auth.redirect_invalid")])
