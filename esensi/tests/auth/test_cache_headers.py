"""Auth answers are never cached, refusals included (security.md H1)."""

from __future__ import annotations

from auth_helpers import committed_login, sign_in


async def test_401_403_and_429_of_auth_routes_are_no_store(web, database):
    unauthenticated = await web.post("/api/auth/change-password", json={})
    assert unauthenticated.status_code == 401
    user = await committed_login(database)
    await sign_in(web, user.email)
    csrf = await web.post("/api/auth/sign-out", json={}, headers={"origin": "https://evil.test"})
    assert csrf.status_code == 403
    wrong = {"email": user.email, "password": "salah-salah-1"}
    answers = [await web.post("/api/auth/sign-in/email", json=wrong) for _ in range(6)]
    assert answers[-1].status_code == 429
    for response in (unauthenticated, csrf, answers[0], answers[-1]):
        assert response.headers["cache-control"] == "no-store", response.status_code


async def test_a_refused_sign_in_sets_no_cookie(web, database):
    user = await committed_login(database)
    response = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": "salah-salah-1"}
    )
    assert "set-cookie" not in response.headers
