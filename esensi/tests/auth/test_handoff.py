"""Cross-host sign-in (security.md X1, X2, T3.16; spec/workflows.md 1.9).

One app is addressed as five hosts (sibling names, so the client's cookie jar keeps each host's
``__Host-`` cookies apart, as a browser does); ``web`` plays the browser and follows each
redirect by hand.
"""

from __future__ import annotations

import logging
import uuid
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from auth_helpers import committed_login, sign_in
from sqlalchemy import func, select

from esensi.app import build_app
from esensi.models.auth import AUTH_TABLES, AuthSession, AuthVerification
from esensi.settings import Settings
from factories.logins import PASSWORD
from rlib.auth.sessions import issue
from rlib.auth.tokens import HANDOFF
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.observe import JsonFormatter
from rlib.testing import app_client

AUTH = "https://auth.esensi.test"
MAIN = "https://toko.esensi.test"
CHAPTER = "https://baca.esensi.test"
HOSTS = {
    "auth": AUTH,
    "main": MAIN,
    "chapter": CHAPTER,
    "publish": "https://publish.esensi.test",
    "internal": "https://internal.esensi.test",
}
LANDING = "/pustaka?tab=buku"


@pytest.fixture
def settings(database: Database) -> Settings:
    return Settings(
        env="test",
        database_url=database.config.url,
        hosts={urlsplit(origin).hostname: key for key, origin in HOSTS.items()},
        auth={"base_urls": HOSTS},
    )


async def start(web: httpx.AsyncClient, target: str = MAIN, return_to: str = LANDING) -> str:
    """Begin on ``target`` and pass the auth host; the redeem URL the browser is sent to."""
    begin = await web.get(f"{target}/api/auth/handoff/begin", params={"return_to": return_to})
    assert begin.status_code == 302, begin.text
    issued = await web.get(begin.headers["location"])
    assert issued.status_code == 302, issued.text
    return issued.headers["location"]


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def handoff_cookie(web: httpx.AsyncClient, host: str) -> str | None:
    return web.cookies.get("__Host-handoff", domain=urlsplit(host).hostname)


async def session_on(web: httpx.AsyncClient, host: str) -> dict | None:
    response = await web.get(f"{host}/api/auth/get-session")
    return response.json()


async def sessions_of(database: Database, user_id) -> list[AuthSession]:
    async with database.sessionmaker() as db:
        rows = await db.scalars(
            select(AuthSession).where(AuthSession.id_user == user_id).order_by(AuthSession.id)
        )
        return list(rows)


async def handoff_codes(database: Database) -> int:
    async with database.sessionmaker() as db:
        count = await db.scalar(select(func.count()).where(AuthVerification.purpose == HANDOFF))
    return int(count or 0)


async def test_round_trip_signs_the_target_in_with_the_same_family_and_expiry(web, database):
    user = await _signed_in_on_auth(web, database)
    begin = await web.get(f"{MAIN}/api/auth/handoff/begin", params={"return_to": LANDING})
    assert begin.status_code == 302
    state = handoff_cookie(web, MAIN)
    assert state is not None
    assert len(state) == 43
    cookie = begin.headers["set-cookie"]
    assert cookie.startswith("__Host-handoff=")
    for attribute in ("Max-Age=600", "Path=/", "Secure", "HttpOnly", "SameSite=Lax"):
        assert attribute in cookie
    assert "Domain" not in cookie
    to_auth = urlsplit(begin.headers["location"])
    assert f"{to_auth.scheme}://{to_auth.netloc}{to_auth.path}" == f"{AUTH}/api/auth/handoff"
    assert query(begin.headers["location"]) == {"return_to": MAIN + LANDING, "state": state}

    issued = await web.get(begin.headers["location"])
    assert issued.status_code == 302
    assert issued.headers["referrer-policy"] == "no-referrer"
    redeem_url = issued.headers["location"]
    assert redeem_url.startswith(f"{MAIN}/api/auth/handoff/redeem?")
    assert query(redeem_url)["state"] == state
    assert len(query(redeem_url)["code"]) == 43

    landed = await web.get(redeem_url)
    assert landed.status_code == 302, landed.text
    assert landed.headers["location"] == LANDING
    assert landed.headers["referrer-policy"] == "no-referrer"
    assert landed.headers["cache-control"] == "no-store"
    assert handoff_cookie(web, MAIN) is None  # cleared

    here = await session_on(web, MAIN)
    there = await session_on(web, AUTH)
    assert here is not None
    assert there is not None
    assert here["user"]["id"] == there["user"]["id"] == str(user.id)
    assert here["session"]["id"] != there["session"]["id"]
    assert here["session"]["expiresAt"] == there["session"]["expiresAt"]
    rows = {row.id: row for row in await sessions_of(database, user.id)}
    target = rows[uuid.UUID(here["session"]["id"])]
    source = rows[uuid.UUID(there["session"]["id"])]
    assert source.family_id is not None
    assert target.family_id == source.family_id
    assert target.authenticated_at == source.authenticated_at
    assert await session_on(web, CHAPTER) is None  # each host has its own session


async def test_a_replayed_code_is_refused(web, database):
    await _signed_in_on_auth(web, database)
    redeem_url = await start(web)
    assert (await web.get(redeem_url)).status_code == 302
    web.cookies.set("__Host-handoff", query(redeem_url)["state"], domain="toko.esensi.test")
    replay = await web.get(redeem_url)
    assert replay.status_code == 400
    assert replay.json()["code"] == "token_invalid"


@pytest.mark.parametrize(("wait_s", "status"), [(59, 302), (61, 400)])
async def test_a_code_lives_sixty_seconds(web, database, clock, wait_s, status):
    await _signed_in_on_auth(web, database)
    redeem_url = await start(web)
    clock.advance(seconds=wait_s)
    assert (await web.get(redeem_url)).status_code == status


async def test_a_wrong_state_is_refused_without_using_the_code(web, database):
    await _signed_in_on_auth(web, database)
    redeem_url = await start(web)
    code, state = query(redeem_url)["code"], query(redeem_url)["state"]
    forged = "A" * 43
    wrong = await web.get(f"{MAIN}/api/auth/handoff/redeem", params={"code": code, "state": forged})
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "handoff_state"
    assert wrong.json()["message"] == (
        "Permintaan masuk ini bukan dari peramban Anda; silakan ulangi"
    )
    assert await session_on(web, MAIN) is None
    ok = await web.get(f"{MAIN}/api/auth/handoff/redeem", params={"code": code, "state": state})
    assert ok.status_code == 302


async def test_a_missing_state_cookie_is_refused_login_csrf(web, database):
    """The attacker's own code, pushed to a victim's browser that never began a hand-off."""
    await _signed_in_on_auth(web, database)
    redeem_url = await start(web)
    web.cookies.delete("__Host-handoff", domain="toko.esensi.test")
    refused = await web.get(redeem_url, headers={"Accept-Language": "en"})
    assert refused.status_code == 400
    assert refused.json()["message"] == (
        "This sign-in request did not start in your browser; please try again"
    )
    assert await session_on(web, MAIN) is None


async def test_a_state_not_bound_to_the_code_is_refused(web, database):
    """Cookie and URL agree, but the code was issued for another state."""
    await _signed_in_on_auth(web, database)
    redeem_url = await start(web)
    other = "B" * 43
    web.cookies.set("__Host-handoff", other, domain="toko.esensi.test")
    code = query(redeem_url)["code"]
    refused = await web.get(
        f"{MAIN}/api/auth/handoff/redeem", params={"code": code, "state": other}
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "token_invalid"


async def test_a_code_redeemed_on_another_host_is_refused(web, database):
    await _signed_in_on_auth(web, database)
    redeem_url = await start(web, target=MAIN)
    state = query(redeem_url)["state"]
    web.cookies.set("__Host-handoff", state, domain="baca.esensi.test")
    elsewhere = await web.get(redeem_url.replace(MAIN, CHAPTER))
    assert elsewhere.status_code == 400
    assert elsewhere.json()["code"] == "token_invalid"
    assert await session_on(web, CHAPTER) is None


@pytest.mark.parametrize(
    "return_to",
    [
        "https://evil.test/pustaka",
        "//evil.test/pustaka",
        "/\\evil.test",
        "\\\\evil.test\\pustaka",
        "https:\\\\evil.test",
        "https://toko.esensi.test@evil.test/",
        "https://evil.test\\@toko.esensi.test/",
        "http://toko.esensi.test/pustaka",  # a configured host, but not its https origin
        "javascript:alert(1)",
        "toko.esensi.test/pustaka",
    ],
)
async def test_a_foreign_return_to_is_refused(web, database, return_to):
    await _signed_in_on_auth(web, database)
    state = "C" * 43
    issued = await web.get(
        f"{AUTH}/api/auth/handoff", params={"return_to": return_to, "state": state}
    )
    assert issued.status_code == 422, issued.text
    assert issued.json()["errors"][0]["loc"] == ["query", "return_to"]
    begin = await web.get(f"{MAIN}/api/auth/handoff/begin", params={"return_to": return_to})
    assert begin.status_code == 422
    assert await handoff_codes(database) == 0


async def test_begin_only_returns_to_its_own_host(web, database):
    begin = await web.get(
        f"{MAIN}/api/auth/handoff/begin", params={"return_to": CHAPTER + "/bab/1"}
    )
    assert begin.status_code == 422
    own = await web.get(f"{MAIN}/api/auth/handoff/begin", params={"return_to": MAIN + "/bab/1"})
    assert own.status_code == 302


async def test_hosts_that_are_not_configured_cannot_hand_off(web, database):
    await _signed_in_on_auth(web, database)
    foreign = await web.get(
        "https://evil.test/api/auth/handoff/begin", params={"return_to": LANDING}
    )
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "handoff_unavailable"
    not_auth = await web.get(
        f"{MAIN}/api/auth/handoff", params={"return_to": MAIN + LANDING, "state": "D" * 43}
    )
    assert not_auth.status_code == 400
    assert not_auth.json()["code"] == "handoff_unavailable"


async def test_without_a_session_the_auth_host_sends_the_browser_to_sign_in(web, database):
    begin = await web.get(f"{MAIN}/api/auth/handoff/begin", params={"return_to": LANDING})
    to_auth = begin.headers["location"]
    issued = await web.get(to_auth)
    assert issued.status_code == 302
    back = to_auth.removeprefix(AUTH)
    assert issued.headers["location"] == f"{AUTH}/sign-in?callbackURL={quote(back, safe='')}"
    assert await handoff_codes(database) == 0


async def test_a_session_with_its_second_factor_pending_cannot_hand_off(web, database):
    user = await committed_login(database, two_factor_enabled=True)
    signed = await web.post(
        f"{AUTH}/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD}
    )
    assert signed.json()["twoFactorRedirect"] is True
    begin = await web.get(f"{MAIN}/api/auth/handoff/begin", params={"return_to": LANDING})
    issued = await web.get(begin.headers["location"])
    assert issued.status_code == 302
    assert issued.headers["location"].startswith(f"{AUTH}/sign-in?callbackURL=")
    assert await handoff_codes(database) == 0
    assert await session_on(web, MAIN) is None


async def test_the_auth_step_itself_refuses_a_half_session(database, settings, kit):
    """Even if an authenticator let a 2FA-pending session through, no code is issued."""
    user = await committed_login(database, two_factor_enabled=True)
    async with database.sessionmaker() as db:
        half = await issue(
            db,
            AUTH_TABLES,
            user_id=user.id,
            lifetime=kit.lifetime([]),
            now=kit.now(),
            two_factor_verified=False,
        )
        await db.commit()

    async def let_half_session_through(ctx, route):
        ctx.user = SessionUser(id=user.id, session_id=half.row.id, two_factor_verified=False)

    app = build_app(settings, kit=kit, authenticator=let_half_session_through)
    app.use_database(database)
    async with app_client(app, base_url=AUTH) as browser:
        issued = await browser.get(
            "/api/auth/handoff", params={"return_to": MAIN + LANDING, "state": "E" * 43}
        )
    assert issued.status_code == 302
    assert issued.headers["location"].startswith(f"{AUTH}/sign-in?callbackURL=")
    assert await handoff_codes(database) == 0


async def test_a_signed_in_target_skips_the_auth_host(web, database):
    user = await committed_login(database)
    await web.post(
        f"{MAIN}/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD}
    )
    begin = await web.get(f"{MAIN}/api/auth/handoff/begin", params={"return_to": LANDING})
    assert begin.status_code == 302
    assert begin.headers["location"] == LANDING
    assert handoff_cookie(web, MAIN) is None


async def test_a_code_dies_with_the_auth_session_it_came_from(web, database):
    await _signed_in_on_auth(web, database)
    redeem_url = await start(web)
    assert (await web.post(f"{AUTH}/api/auth/sign-out")).status_code == 200
    refused = await web.get(redeem_url)
    assert refused.status_code == 400
    assert refused.json()["code"] == "token_invalid"


@pytest.mark.parametrize("where", [MAIN, AUTH])
async def test_signing_out_on_any_host_ends_the_family(web, database, where):
    user = await _signed_in_on_auth(web, database)
    assert (await web.get(await start(web, target=MAIN))).status_code == 302
    assert (await web.get(await start(web, target=CHAPTER))).status_code == 302
    # Another browser of the same user is not in the family and stays signed in.
    async with httpx.AsyncClient(transport=web._transport, base_url=AUTH) as other:
        other_token = await sign_in(other, user.email)
    assert (await web.post(f"{where}/api/auth/sign-out")).status_code == 200
    for host in (AUTH, MAIN, CHAPTER):
        assert await session_on(web, host) is None, host
    live = [row for row in await sessions_of(database, user.id) if row.revoked_at is None]
    assert len(live) == 1
    async with httpx.AsyncClient(transport=web._transport, base_url=AUTH) as other:
        still = await other.get(
            "/api/auth/get-session", headers={"Authorization": f"Bearer {other_token}"}
        )
    assert still.json() is not None


async def test_revoke_sessions_signs_out_everywhere(web, database):
    user = await _signed_in_on_auth(web, database)
    assert (await web.get(await start(web))).status_code == 302
    async with httpx.AsyncClient(transport=web._transport, base_url=AUTH) as other:
        await sign_in(other, user.email)
    assert (await web.post(f"{MAIN}/api/auth/revoke-sessions")).status_code == 200
    assert [row for row in await sessions_of(database, user.id) if row.revoked_at is None] == []


async def test_rotation_keeps_the_family(web, database):
    """Onboarding rotates the auth-host session; signing out on the target still ends it."""
    await _signed_in_on_auth(web, database)
    assert (await web.get(await start(web))).status_code == 302
    onboarded = await web.post(f"{AUTH}/api/auth/onboarding", json={"role": "author"})
    assert onboarded.status_code == 200, onboarded.text
    assert await session_on(web, AUTH) is not None
    assert (await web.post(f"{MAIN}/api/auth/sign-out")).status_code == 200
    assert await session_on(web, AUTH) is None


async def _signed_in_on_auth(web: httpx.AsyncClient, database: Database):
    user = await committed_login(database)
    signed = await web.post(
        f"{AUTH}/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD}
    )
    assert signed.status_code == 200, signed.text
    return user


async def test_codes_and_states_never_reach_a_log_line(web, database, caplog):
    await _signed_in_on_auth(web, database)
    with caplog.at_level(logging.INFO):
        redeem_url = await start(web)
        assert (await web.get(redeem_url)).status_code == 302
    secrets = query(redeem_url).values()
    lines = [JsonFormatter().format(record) for record in caplog.records]
    assert any("hand-off redeemed" in line for line in lines)
    assert any("/api/auth/handoff/redeem" in line for line in lines)  # the access log
    assert [line for line in lines if any(secret in line for secret in secrets)] == []
