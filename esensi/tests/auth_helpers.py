"""Small steps the auth tests share: a committed login, signing in, a bearer request, 2FA."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx

from esensi.models.auth import AuthUser
from factories.logins import PASSWORD, make_login
from rlib.auth.totp import code_at, step_at
from rlib.db.engine import Database


async def committed_login(database: Database, **overrides: object) -> AuthUser:
    """A login with :data:`PASSWORD`, committed so the app's requests see it."""
    async with database.sessionmaker() as db:
        user = await make_login(db, **overrides)
        await db.commit()
    return user


async def sign_in(web: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    """Sign in (the client keeps the cookie); returns the bearer token."""
    response = await web.post(
        "/api/auth/sign-in/email", json={"email": email, "password": password}
    )
    assert response.status_code == 200, response.text
    assert response.headers["set-auth-token"] == response.json()["token"]
    return str(response.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def alive(web: httpx.AsyncClient, token: str) -> bool:
    """Whether ``token`` still opens a session (asked without the client's cookie)."""
    async with httpx.AsyncClient(transport=web._transport, base_url=web.base_url) as other:
        response = await other.get("/api/auth/get-session", headers=bearer(token))
    return response.json() is not None


def token_of(url: str) -> str:
    """The ``token`` query parameter of a mailed link."""
    return parse_qs(urlsplit(url).query)["token"][0]


async def call(
    web: httpx.AsyncClient, path: str, token: str, body: dict[str, object] | None = None
) -> httpx.Response:
    """POST with the bearer ``token`` only (the client's cookie would win over it)."""
    web.cookies.clear()
    return await web.post(path, json=body or {}, headers=bearer(token))


async def half_session(web: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    """Sign in a 2FA user with the password: the token of the half-session (without the
    client's cookie, which sign-in would rotate away)."""
    web.cookies.clear()
    response = await web.post(
        "/api/auth/sign-in/email", json={"email": email, "password": password}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"twoFactorRedirect": True, "twoFactorMethods": ["totp", "otp"]}
    return response.headers["set-auth-token"]


@dataclass(frozen=True)
class TwoFactor:
    """What ``two-factor/enable`` showed, and the full session after the first code."""

    secret: str
    backup_codes: list[str]
    token: str


async def enable_two_factor(
    web: httpx.AsyncClient, email: str, now: dt.datetime, password: str = PASSWORD
) -> TwoFactor:
    """Sign in, enable 2FA and verify the first TOTP code of ``now``."""
    token = await sign_in(web, email, password)
    setup = await call(web, "/api/auth/two-factor/enable", token, {"password": password})
    assert setup.status_code == 200, setup.text
    data = setup.json()
    secret = totp_secret(data["totpURI"])
    code = code_at(secret, step_at(now))
    verified = await call(web, "/api/auth/two-factor/verify-totp", token, {"code": code})
    assert verified.status_code == 200, verified.text
    return TwoFactor(secret, data["backupCodes"], verified.json()["token"])


def totp_secret(uri: str) -> str:
    """The base32 secret of an ``otpauth://`` URI (``two-factor/enable`` shows only the URI)."""
    return parse_qs(urlsplit(uri).query)["secret"][0]
