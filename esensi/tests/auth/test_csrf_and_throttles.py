"""CSRF matrix on cookie writes (C1-C3, T3.8) and sign-in throttles (R1-R4, T3.1-T3.3)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from esensi.app import auth_kit, build_app
from esensi.settings import Settings
from factories.logins import PASSWORD, make_login
from rlib.auth import signin
from rlib.testing import app_client

OWN = "http://127.0.0.1"
ROLE_CHECK = "/api/auth/role-check"
BODY = b'{"roles": ["customer"]}'
JSON = {"content-type": "application/json"}

CASES = [
    ("cross-site", {"origin": "https://evil.test", "sec-fetch-site": "cross-site", **JSON}, 403),
    ("same-site", {"origin": "http://x.127.0.0.1", "sec-fetch-site": "same-site", **JSON}, 403),
    ("same-origin", {"origin": OWN, "sec-fetch-site": "same-origin", **JSON}, 200),
    ("evil origin", {"origin": "https://evil.test", **JSON}, 403),
    ("null origin", {"origin": "null", **JSON}, 403),
    ("no headers", JSON, 200),
    ("text/plain", {"content-type": "text/plain"}, 415),
    ("form", {"content-type": "application/x-www-form-urlencoded"}, 415),
]


@pytest.fixture
async def signed_in(web, database) -> str:
    async with database.sessionmaker() as db:
        user = await make_login(db)
        await db.commit()
    response = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD}
    )
    return response.json()["token"]


@pytest.mark.parametrize(("case", "headers", "status"), CASES, ids=[c[0] for c in CASES])
async def test_csrf_matrix_with_the_cookie(web, signed_in, case, headers, status):
    response = await web.post(ROLE_CHECK, content=BODY, headers=headers)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["code"] == "csrf_rejected"


async def test_an_auth_route_refuses_a_foreign_origin_in_better_auths_words(web, signed_in):
    refused = await web.post("/api/auth/sign-out", json={}, headers={"Origin": "https://evil.test"})
    assert (refused.status_code, refused.json()["code"]) == (403, "INVALID_ORIGIN")
    assert (await web.get("/api/auth/get-session")).json() is not None


async def test_bearer_without_cookie_is_exempt(web, signed_in):
    web.cookies.clear()
    headers = {"origin": "https://evil.test", "sec-fetch-site": "cross-site", **JSON}
    headers["authorization"] = f"Bearer {signed_in}"
    assert (await web.post(ROLE_CHECK, content=BODY, headers=headers)).status_code == 200


async def test_trusted_origin_is_allowed(database, kit, signed_in):
    settings = Settings(
        env="test", database_url=database.config.url, trusted_origins=["https://publish.test"]
    )
    app = build_app(settings, kit=auth_kit(settings, clock=kit.clock))
    app.use_database(database)
    async with app_client(app) as client:
        client.cookies.set("session", signed_in)
        headers = {"origin": "https://publish.test", "sec-fetch-site": "same-site", **JSON}
        assert (await client.post(ROLE_CHECK, content=BODY, headers=headers)).status_code == 200


async def _sign_in(client, email: str, password: str, **headers: str) -> httpx.Response:
    return await client.post(
        "/api/auth/sign-in/email", json={"email": email, "password": password}, headers=headers
    )


async def test_sixth_failure_per_account_is_throttled_even_with_the_right_password(
    web, database, clock
):
    async with database.sessionmaker() as db:
        user = await make_login(db)
        await db.commit()
    variants = [user.email, user.email.upper(), f"  {user.email} ", user.email, user.email.title()]
    for email in variants:
        assert (await _sign_in(web, email, "salah-salah-1")).status_code == 401
    locked = await _sign_in(web, user.email, PASSWORD)
    assert (locked.status_code, locked.json()["code"]) == (429, "TOO_MANY_REQUESTS")
    assert int(locked.headers["retry-after"]) >= 1
    clock.advance(minutes=5, seconds=1)
    assert (await _sign_in(web, user.email, PASSWORD)).status_code == 200


async def test_eleventh_failure_per_ip_is_throttled_and_spoofed_forwarded_for_is_ignored(web):
    for n in range(10):
        spoof = {"x-forwarded-for": f"198.51.100.{n}"}
        assert (await _sign_in(web, f"u{n}@contoh.id", "salah-salah-1", **spoof)).status_code == 401
    assert (await _sign_in(web, "lain@contoh.id", "salah-salah-1")).status_code == 429


async def test_success_refunds_the_attempt(web, database):
    async with database.sessionmaker() as db:
        user = await make_login(db)
        await db.commit()
    for _ in range(4):
        await _sign_in(web, user.email, "salah-salah-1")
    assert (await _sign_in(web, user.email, PASSWORD)).status_code == 200
    assert (await _sign_in(web, user.email, "salah-salah-1")).status_code == 401


@pytest.mark.slow
async def test_fifty_parallel_wrong_passwords_reach_the_hasher_five_times(live):
    client, kit, user = live
    responses = await asyncio.gather(
        *(_sign_in(client, user.email, "salah-salah-1") for _ in range(50))
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [401] * 5 + [429] * 45
    assert kit.hasher.verifications == 5


@pytest.mark.slow
async def test_a_sign_in_flood_takes_at_most_permits_throttle_slots_at_once(live, monkeypatch):
    # Admitted before the throttle: the rest of a flood waits without holding a database
    # connection, so other routes are not queued behind it on the pool.
    client, kit, user = live
    running = peak = 0
    original = signin.take_sign_in

    async def counting(*args, **kwargs):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        try:
            await asyncio.sleep(0.01)  # long enough for the others to pile in
            return await original(*args, **kwargs)
        finally:
            running -= 1

    monkeypatch.setattr(signin, "take_sign_in", counting)
    responses = await asyncio.gather(
        *(_sign_in(client, user.email, "salah-salah-1") for _ in range(30))
    )
    assert {r.status_code for r in responses} <= {401, 429}
    assert peak == kit.hasher.permits
