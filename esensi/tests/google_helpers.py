"""Steps of a Google sign-in against the stub provider: start, authorize, come back."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select

from esensi.models.auth import AuthAccount, AuthUser, AuthVerification
from rlib.auth.sessions import COOKIE_PLAIN, COOKIE_SECURE
from rlib.db.engine import Database


async def start(web: httpx.AsyncClient, path: str = "/api/auth/sign-in/social", **body: str) -> str:
    """POST sign-in/social (or link-social); the authorize URL answered."""
    payload = {"provider": "google", "callbackURL": "/akun", **body}
    response = await web.post(path, json=payload)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["redirect"] is True
    return str(data["url"])


async def authorize(url: str) -> str:
    """Follow the authorize URL at the stub (over real HTTP); the redirect back to us."""
    async with httpx.AsyncClient() as browser:
        response = await browser.get(url)
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def come_back(web: httpx.AsyncClient, location: str) -> httpx.Response:
    """Deliver the provider's redirect to the app's callback (same browser: same cookies)."""
    parts = urlsplit(location)
    return await web.get(f"{parts.path}?{parts.query}")


async def sign_in_with_google(web: httpx.AsyncClient, **body: str) -> httpx.Response:
    """The whole round trip; the callback's answer."""
    return await come_back(web, await authorize(await start(web, **body)))


def session_cookies(response: httpx.Response) -> list[str]:
    """The session cookies a response sets (the state cookie aside)."""
    cookies = response.headers.get_list("set-cookie")
    return [c for c in cookies if c.startswith((COOKIE_PLAIN + "=", COOKIE_SECURE + "="))]


def query_of(url: str) -> dict[str, str]:
    """The query parameters of ``url`` (first value each)."""
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


async def google_accounts(database: Database, sub: str | None = None) -> list[AuthAccount]:
    """The stored Google links (of subject ``sub`` when given)."""
    async with database.sessionmaker() as db:
        stmt = select(AuthAccount).where(AuthAccount.id_provider == "google")
        if sub is not None:
            stmt = stmt.where(AuthAccount.id_account == sub)
        return list(await db.scalars(stmt))


async def user_by_email(database: Database, email: str) -> AuthUser | None:
    async with database.sessionmaker() as db:
        return await db.scalar(select(AuthUser).where(AuthUser.email == email))


async def oauth_states(database: Database) -> list[AuthVerification]:
    async with database.sessionmaker() as db:
        stmt = select(AuthVerification).where(AuthVerification.purpose == "oauth_state")
        return list(await db.scalars(stmt))
