"""Idle and absolute session lifetimes per user type, on a fake clock (security.md S5, T3.11)."""

from __future__ import annotations

import pytest

from factories.logins import PASSWORD, add_profile, make_login
from rlib.config import AuthConfig

TYPES = ["customer", "author", "publisher", "internal", "affiliate"]
ENDINGS = ["sign_out", "idle", "absolute"]


async def _signed_in(web, database, kind: str) -> str:
    async with database.sessionmaker() as db:
        user = await make_login(db)
        await add_profile(db, user, kind)
        await db.commit()
    response = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD}
    )
    web.cookies.clear()
    return response.json()["token"]


async def _status(web, token: str) -> int:
    response = await web.post(
        "/api/auth/role-check",
        json={"roles": ["customer"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code


@pytest.mark.parametrize("kind", TYPES)
@pytest.mark.parametrize("ending", ENDINGS)
async def test_session_ends(web, database, clock, kind, ending):
    lifetime = AuthConfig().lifetimes[kind]
    token = await _signed_in(web, database, kind)
    assert await _status(web, token) == 200
    if ending == "sign_out":
        out = await web.post(
            "/api/auth/sign-out", json={}, headers={"Authorization": f"Bearer {token}"}
        )
        assert out.status_code == 200
    elif ending == "idle":
        clock.advance(seconds=lifetime.idle_s - 1)
        assert await _status(web, token) == 200  # still alive, and the idle expiry slides
        clock.advance(seconds=lifetime.idle_s + 1)
    else:
        elapsed = 0
        step = lifetime.idle_s - 60
        while elapsed + step < lifetime.absolute_s:
            clock.advance(seconds=step)
            elapsed += step
            assert await _status(web, token) == 200
        clock.advance(seconds=lifetime.absolute_s - elapsed + 1)
    assert await _status(web, token) == 401


async def test_staff_sessions_are_short(web, database, clock):
    token = await _signed_in(web, database, "internal")
    clock.advance(minutes=31)
    assert await _status(web, token) == 401
