"""Sign-in and account linking with an OpenID Connect provider (spec/workflows.md 1.6).

``sign-in/social`` and ``link-social`` store a single-use state (256 bits, only its SHA-256
kept, 10 minutes) carrying the PKCE verifier, the nonce and the validated callback URLs, and
answer the provider's authorize URL. The browser also gets the state in a short cookie: a
callback completes only in the browser that started it (no login CSRF).

The callback claims the state in one guarded statement, committed on its own before the
provider is called (single use whatever happens next, and no lock held across the network),
exchanges the code with the verifier, validates the ID token, then signs in, links or creates
the login and redirects (302) to ``callbackURL``.

Errors: without a live state (missing, unknown, used, expired, other browser) the callback
answers 400 in the envelope, since nothing says where it is safe to redirect. Once the state
is claimed, every failure redirects to ``errorCallbackURL`` (else ``callbackURL``) with
``error=<code>``: ``oauth_denied``, ``oauth_code_missing``, ``oauth_token_failed``,
``oauth_id_token_invalid``, ``oauth_email_missing``, ``oauth_email_unverified``,
``oauth_account_disabled``, ``oauth_account_taken``, ``oauth_provider_linked``,
``oauth_session_changed``, ``oauth_provider_unavailable``.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import uuid
from typing import Any

from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from rlib.auth.errors import (
    OAuthStateInvalidError,
    ProviderNotConfiguredError,
    ProviderUnavailableError,
)
from rlib.auth.flows import kit_of, start_session
from rlib.auth.kit import AuthKit
from rlib.auth.oidc import OidcFailure, OidcProvider
from rlib.auth.rules import require_fresh
from rlib.auth.schemas import (
    Done,
    LinkedAccount,
    LinkSocial,
    OAuthCallback,
    SignInSocial,
    SocialRedirect,
    UnlinkAccount,
)
from rlib.auth.social_accounts import link_identity, login_for, unlink
from rlib.auth.tokens import OAUTH_STATE, Claimed, claim_link, issue_secret
from rlib.auth.users import SessionUser, current_user
from rlib.context import Ctx
from rlib.endpoint import Handler
from rlib.scope import Scope
from rlib.throttle import ip_bucket

logger = logging.getLogger("rlib.auth")

CALLBACK_PATH = "/api/auth/callback/"
STATE_COOKIE_SECURE = "__Host-oauth-state"
STATE_COOKIE_PLAIN = "oauth-state"


def provider_of(kit: AuthKit, provider_id: str) -> OidcProvider:
    """The configured provider; 404 ``provider_not_configured`` otherwise."""
    provider = kit.providers.get(provider_id)
    if provider is None:
        raise ProviderNotConfiguredError()
    return provider


def redirect_uri(kit: AuthKit, provider: OidcProvider) -> str:
    """Our callback URL as registered with the provider (configured, or on the auth origin)."""
    if provider.config.redirect_uri:
        return provider.config.redirect_uri
    base = kit.base_url()
    if not base:
        raise ProviderNotConfiguredError()
    return base + CALLBACK_PATH + provider.id


async def sign_in_social(ctx: Ctx, payload: SignInSocial) -> SocialRedirect:
    """Start a sign-in with ``provider``: the authorize URL to send the browser to."""
    kit = kit_of(ctx)
    provider = provider_of(kit, payload.provider)
    targets = _targets(kit, payload.callbackURL, payload.errorCallbackURL)
    await _take_start_slot(ctx, kit)
    url = await _start(ctx, kit, provider, targets, link_user=None)
    return SocialRedirect(url=url, redirect=True)


async def link_social(ctx: Ctx, payload: LinkSocial) -> SocialRedirect:
    """Start linking a ``provider`` account to the signed-in login (fresh sign-in needed)."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    require_fresh(ctx, kit)
    provider = provider_of(kit, payload.provider)
    targets = _targets(kit, payload.callbackURL, payload.errorCallbackURL)
    await _take_start_slot(ctx, kit)
    url = await _start(ctx, kit, provider, targets, link_user=me.id)
    return SocialRedirect(url=url, redirect=True)


async def unlink_account(ctx: Ctx, payload: UnlinkAccount) -> Done:
    """Remove a provider link (or the password); never the login's last way to sign in."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    require_fresh(ctx, kit)
    await unlink(ctx, kit, me.id, payload.providerId, payload.accountId)
    return Done(status=True)


async def list_accounts(ctx: Ctx) -> list[LinkedAccount]:
    """The caller's sign-in methods (password and provider links), oldest first."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    a = kit.tables.account
    rows = await ctx.db.scalars(select(a).where(a.id_user == me.id).order_by(a.created_at, a.id))
    return [
        LinkedAccount(
            id=row.id,
            provider=row.id_provider,
            providerId=row.id_provider,
            accountId=row.id_account,
            userId=row.id_user,
            scopes=[s for s in (row.scope or "").replace(",", " ").split() if s],
            createdAt=row.created_at,
            updatedAt=getattr(row, "updated_at", None) or row.created_at,
        )
        for row in rows
    ]


def callback_endpoint(provider_id: str) -> Handler:
    """The handler of ``GET /callback/<provider_id>``."""

    async def callback(ctx: Ctx, payload: OAuthCallback) -> Response:
        return await complete(ctx, provider_id, payload)

    callback.__doc__ = f"Where {provider_id} sends the browser back: sign in or link, redirect."
    callback.__qualname__ = f"callback_{provider_id}"
    return callback


async def complete(ctx: Ctx, provider_id: str, payload: OAuthCallback) -> Response:
    """Finish a flow: claim the state, validate the provider's answer, sign in or link."""
    kit = kit_of(ctx)
    provider = provider_of(kit, provider_id)
    claimed = await _claim_state(ctx, kit, provider, payload.state)
    data: dict[str, Any] = claimed.data or {}
    cookies = [_state_cookie(kit, ctx, "", max_age=0)]
    try:
        target = await _finish(ctx, kit, provider, payload, data, claimed.id_user, cookies)
    except OidcFailure as failure:
        logger.info(
            "social sign-in refused",
            extra={"provider": provider.id, "reason": failure.code, "detail": failure.detail},
        )
        target = _with_query(str(data["error_callback"]), "error=" + failure.code)
    response = RedirectResponse(target, status_code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the URL held the code and state
    for cookie in cookies:
        response.headers.append("Set-Cookie", cookie)
    return response


async def _finish(
    ctx: Ctx,
    kit: AuthKit,
    provider: OidcProvider,
    payload: OAuthCallback,
    data: dict[str, Any],
    link_user: uuid.UUID | None,
    cookies: list[str],
) -> str:
    if payload.error:
        raise OidcFailure("oauth_denied", payload.error[:64])
    if not payload.code:
        raise OidcFailure("oauth_code_missing")
    id_token = await provider.exchange(
        code=payload.code, verifier=str(data["verifier"]), redirect_uri=redirect_uri(kit, provider)
    )
    identity = await provider.verify(id_token, nonce=str(data["nonce"]), now=kit.now())
    callback = str(data["callback"])
    if link_user is not None:
        me = ctx.user
        if not isinstance(me, SessionUser) or me.id != link_user:
            raise OidcFailure("oauth_session_changed")
        await link_identity(ctx, kit, provider.id, identity, link_user)
        return callback
    user = await login_for(ctx, kit, provider.id, identity)
    pending = user.two_factor_enabled
    await start_session(ctx, user_id=user.id, two_factor_verified=not pending)
    cookies.append(ctx.response_headers.pop("Set-Cookie"))
    logger.info("sign-in", extra={"user": str(user.id), "provider": provider.id})
    return _with_query(callback, "twoFactorRedirect=true") if pending else callback


def _targets(kit: AuthKit, callback: str | None, error_callback: str | None) -> dict[str, str]:
    ok = kit.check_redirect(callback or "/", field="callbackURL") or "/"
    error = kit.check_redirect(error_callback, field="errorCallbackURL")
    return {"callback": ok, "error_callback": error or ok}


async def _take_start_slot(ctx: Ctx, kit: AuthKit) -> None:
    # Each start stores a row: bounded per client IP, counted before the transaction starts.
    key = "social:ip:" + ip_bucket(kit.client_ip(ctx))
    await kit.throttle.take(ctx.unit, key, kit.config.throttles.social_start_ip)


async def _start(
    ctx: Ctx,
    kit: AuthKit,
    provider: OidcProvider,
    targets: dict[str, str],
    *,
    link_user: uuid.UUID | None,
) -> str:
    callback_url = redirect_uri(kit, provider)
    try:
        await provider.metadata()  # network first: no transaction is open while we wait
    except OidcFailure as failure:
        logger.warning("identity provider unavailable", extra={"provider": provider.id})
        raise ProviderUnavailableError() from failure
    verifier = secrets.token_urlsafe(48)  # 64 characters (RFC 7636: 43 to 128)
    nonce = secrets.token_urlsafe(32)
    state = await issue_secret(
        ctx,
        kit,
        purpose=OAUTH_STATE,
        identifier=provider.id,
        user_id=link_user,
        lifetime_s=kit.config.oauth_state_s,
        data={"verifier": verifier, "nonce": nonce, **targets},
    )
    ctx.response_headers["Set-Cookie"] = _state_cookie(
        kit, ctx, state, max_age=kit.config.oauth_state_s
    )
    ctx.response_headers["Cache-Control"] = "no-store"
    return await provider.authorization_url(
        state=state, nonce=nonce, verifier=verifier, redirect_uri=callback_url
    )


async def _claim_state(
    ctx: Ctx, kit: AuthKit, provider: OidcProvider, state: str | None
) -> Claimed:
    cookie = ctx.req.cookies.get(_cookie_name(kit, ctx)) or ""
    if not state or not hmac.compare_digest(cookie.encode(), state.encode()):
        raise OAuthStateInvalidError()
    # Its own unit, committed at once: the state is spent whatever happens next, and the
    # request's transaction does not hold the claim's lock while the provider is called.
    async with ctx.unit.separately() as unit:
        claimed = await claim_link(Scope(unit), kit, purpose=OAUTH_STATE, token=state)
    if claimed is None or claimed.identifier != provider.id:
        raise OAuthStateInvalidError()
    return claimed


def _cookie_name(kit: AuthKit, ctx: Ctx) -> str:
    return STATE_COOKIE_SECURE if kit.secure(ctx) else STATE_COOKIE_PLAIN


def _state_cookie(kit: AuthKit, ctx: Ctx, value: str, *, max_age: int) -> str:
    # SameSite=Lax: the provider's redirect back is a top-level GET, which Lax lets through.
    parts = [f"{_cookie_name(kit, ctx)}={value}", f"Max-Age={max_age}", "Path=/"]
    if kit.secure(ctx):
        parts.append("Secure")
    return "; ".join([*parts, "HttpOnly", "SameSite=Lax"])


def _with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query
