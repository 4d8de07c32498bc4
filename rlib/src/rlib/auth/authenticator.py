"""The real :class:`~rlib.runner.Authenticator`: the session from the cookie or a bearer token.

It runs for every route, public ones too (a public page may use the session when present), and
never raises for a missing or dead session: the access check that follows answers 401. It does
refuse (403) an unsafe cookie-authenticated request that fails the CSRF rule.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from rlib.auth.csrf import check_csrf
from rlib.auth.flows import attach_kit
from rlib.auth.kit import AuthKit
from rlib.auth.sessions import COOKIE_PLAIN, COOKIE_SECURE, find, touch
from rlib.auth.users import SessionUser
from rlib.context import Ctx
from rlib.registry import Route

StandIn = Callable[[Ctx, Route], Awaitable[None]]

# Routes a signed-in user whose second factor is still pending may call.
HALF_SESSION_ROUTES = frozenset(
    {
        "sign_out",
        "get_session",
        "two_factor_verify_totp",
        "two_factor_send_otp",
        "two_factor_verify_otp",
        "two_factor_verify_backup_code",
    }
)


def read_token(ctx: Ctx) -> tuple[str | None, bool]:
    """The presented token and whether it came from the cookie (the cookie wins over a bearer)."""
    cookies = ctx.req.cookies
    cookie = cookies.get(COOKIE_SECURE) or cookies.get(COOKIE_PLAIN)
    if cookie:
        return cookie, True
    header = ctx.req.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    return None, False


class SessionAuthenticator:
    """Fills ``ctx.user`` from a live session; see the module docstring."""

    def __init__(self, kit: AuthKit, *, stand_in: StandIn | None = None) -> None:
        """``stand_in`` (tests only) decides who is signed in instead of the session."""
        self.kit = kit
        self.stand_in = stand_in

    async def __call__(self, ctx: Ctx, route: Route) -> None:
        attach_kit(ctx, self.kit)
        ctx.user = None
        if route.access.gateway:  # authenticated by the handler; cookies are not its business
            ctx.response_headers["Cache-Control"] = "no-store"
            return
        if self.stand_in is not None:
            await self.stand_in(ctx, route)
            return
        if route.domain.prefix.startswith("/api/auth") or not route.access.public:
            ctx.response_headers["Cache-Control"] = "no-store"
        token, from_cookie = read_token(ctx)
        if from_cookie:
            self._csrf(ctx)
        if token is None:
            return
        ctx.user = await self.resolve(ctx, token, route.endpoint.name)

    async def resolve(self, ctx: Ctx, token: str, endpoint_name: str) -> SessionUser | None:
        """The user of a live session for ``token``, its idle expiry slid; else None.

        Runs in a unit of its own, committed at once: the request's transaction then starts
        fresh in the handler, after any throttle counter was written (SQLite refuses to
        upgrade a read snapshot that another writer has moved past).
        """
        async with ctx.unit.separately() as unit:
            return await self._load(unit.session, token, endpoint_name)

    async def _load(self, db: AsyncSession, token: str, endpoint_name: str) -> SessionUser | None:
        kit = self.kit
        now = kit.now()
        found = await find(db, kit.tables, token, now)
        if found is None:
            return None
        session, user = found
        if not session.two_factor_verified and endpoint_name not in HALF_SESSION_ROUTES:
            return None
        profiles, roles = await kit.user_types.load(db, user.id)
        lifetime = kit.lifetime(profiles)
        await touch(db, session, lifetime=lifetime, now=now, interval_s=kit.config.touch_interval_s)
        if session.idle_expires_at <= now:
            return None
        return SessionUser(
            id=user.id,
            profiles=profiles,
            roles=roles,
            email=user.email,
            name=user.name,
            email_verified=user.email_verified,
            session_id=session.id,
            authenticated_at=session.authenticated_at,
            two_factor_verified=session.two_factor_verified,
        )

    def _csrf(self, ctx: Ctx) -> None:
        url = ctx.req.url
        check_csrf(
            method=ctx.req.method,
            origin=ctx.req.headers.get("origin"),
            fetch_site=ctx.req.headers.get("sec-fetch-site"),
            own_origin=f"{url.scheme}://{url.netloc}",
            trusted=self.kit.trusted_origins,
        )
