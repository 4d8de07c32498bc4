"""Small steps the auth tests share: a committed login, signing in, a bearer request."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

from esensi.models.auth import AuthUser
from factories.logins import PASSWORD, make_login
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
    return str(response.json()["data"]["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def alive(web: httpx.AsyncClient, token: str) -> bool:
    """Whether ``token`` still opens a session (asked without the client's cookie)."""
    async with httpx.AsyncClient(transport=web._transport, base_url=web.base_url) as other:
        response = await other.get("/api/auth/get-session", headers=bearer(token))
    return response.json()["data"] is not None


def token_of(url: str) -> str:
    """The ``token`` query parameter of a mailed link."""
    return parse_qs(urlsplit(url).query)["token"][0]
