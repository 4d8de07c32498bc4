"""Every way a Google sign-in is refused (security.md K1, T3.16): without a live state the
callback answers 400 in the envelope; after the state is claimed it redirects to
errorCallbackURL with ``error=<code>`` and nobody is signed in."""

from __future__ import annotations

import time

import pytest
from auth.conftest import AUTH_ORIGIN
from google_helpers import (
    authorize,
    come_back,
    google_accounts,
    oauth_states,
    query_of,
    session_cookies,
    sign_in_with_google,
    start,
)
from sqlalchemy import update

from esensi.models.auth import AuthVerification
from rlib.auth.social import STATE_COOKIE_PLAIN
from rlib.testing.oidc import StubIdentityProvider, StubUser

ERROR_PAGE = AUTH_ORIGIN + "/masuk"


async def _assert_nobody_signed_in(web, database, response):
    assert session_cookies(response) == []
    assert (await web.get("/api/auth/get-session")).json() is None
    assert await google_accounts(database) == []


async def test_a_replayed_state_is_refused(google, idp, database):
    location = await authorize(await start(google))
    assert (await come_back(google, location)).status_code == 302
    await google.post("/api/auth/sign-out")
    # Even with the state cookie put back, the state row is spent.
    google.cookies.set(STATE_COOKIE_PLAIN, query_of(location)["state"])
    replay = await come_back(google, location)
    assert replay.status_code == 400
    assert replay.json()["code"] == "OAUTH_STATE_INVALID"
    assert session_cookies(replay) == []


async def test_a_state_from_another_browser_is_refused(google, idp, database):
    location = await authorize(await start(google))
    google.cookies.clear()  # the victim's browser never started this flow (login CSRF)
    response = await come_back(google, location)
    assert (response.status_code, response.json()["code"]) == (400, "OAUTH_STATE_INVALID")
    await _assert_nobody_signed_in(google, database, response)
    [row] = await oauth_states(database)
    assert row.consumed_at is None  # refused before the claim


async def test_a_wrong_state_is_refused(google, idp, database):
    location = await authorize(await start(google))
    forged = "x" * 43
    google.cookies.set(STATE_COOKIE_PLAIN, forged)
    response = await come_back(google, location.replace(query_of(location)["state"], forged))
    assert (response.status_code, response.json()["code"]) == (400, "OAUTH_STATE_INVALID")
    missing = await google.get("/api/auth/callback/google?code=abc")
    assert (missing.status_code, missing.json()["code"]) == (400, "OAUTH_STATE_INVALID")
    await _assert_nobody_signed_in(google, database, response)


async def test_an_expired_state_is_refused(google, idp, database, clock):
    location = await authorize(await start(google))
    clock.advance(seconds=600 + 1)
    response = await come_back(google, location)
    assert (response.status_code, response.json()["code"]) == (400, "OAUTH_STATE_INVALID")
    await _assert_nobody_signed_in(google, database, response)


async def test_a_state_just_inside_ten_minutes_works(google, idp, clock):
    location = await authorize(await start(google))
    clock.advance(seconds=600 - 1)
    assert (await come_back(google, location)).status_code == 302


def _bad_signature(idp: StubIdentityProvider) -> None:
    idp.foreign_key = idp.other_key()


def _claim(name: str, value: object):
    def tamper(idp: StubIdentityProvider) -> None:
        idp.claims[name] = value

    return tamper


TAMPERED_TOKENS = {
    "bad signature": _bad_signature,
    "wrong nonce": _claim("nonce", "bukan-nonce-kita"),
    "wrong aud": _claim("aud", "someone-else.apps.googleusercontent.com"),
    "wrong iss": _claim("iss", "https://evil.test"),
    "expired": _claim("exp", int(time.time()) - 3600),
}


@pytest.mark.parametrize("case", sorted(TAMPERED_TOKENS))
async def test_an_untrustworthy_id_token_is_refused(google, idp, database, case):
    TAMPERED_TOKENS[case](idp)
    response = await sign_in_with_google(google, errorCallbackURL="/masuk")
    assert response.status_code == 302
    assert response.headers["location"] == ERROR_PAGE + "?error=oauth_id_token_invalid"
    await _assert_nobody_signed_in(google, database, response)


async def test_a_wrong_pkce_verifier_is_refused_by_the_provider(google, idp, database):
    location = await authorize(await start(google, errorCallbackURL="/masuk"))
    async with database.sessionmaker() as db:
        [row] = await oauth_states(database)
        data = {**(row.data or {}), "verifier": "v" * 64}
        await db.execute(
            update(AuthVerification).where(AuthVerification.id == row.id).values(data=data)
        )
        await db.commit()
    response = await come_back(google, location)
    assert response.headers["location"] == ERROR_PAGE + "?error=oauth_token_failed"
    assert idp.log.token_errors == ["invalid_grant"]
    await _assert_nobody_signed_in(google, database, response)


async def test_the_provider_refusing_redirects_with_an_error(google, idp, database):
    idp.deny = True
    response = await sign_in_with_google(google, errorCallbackURL="/masuk")
    assert response.headers["location"] == ERROR_PAGE + "?error=oauth_denied"
    assert idp.log.token == []  # no code, no exchange
    await _assert_nobody_signed_in(google, database, response)


async def test_without_error_callback_the_callback_url_gets_the_error(google, idp):
    idp.deny = True
    response = await sign_in_with_google(google, callbackURL="/akun?tab=1")
    assert response.headers["location"] == AUTH_ORIGIN + "/akun?tab=1&error=oauth_denied"


async def test_a_google_user_without_email_is_refused(google, idp, database):
    idp.user = StubUser(sub="g-no-mail", email=None)
    response = await sign_in_with_google(google, errorCallbackURL="/masuk")
    assert response.headers["location"] == ERROR_PAGE + "?error=oauth_email_missing"
    await _assert_nobody_signed_in(google, database, response)


@pytest.mark.parametrize("field", ["callbackURL", "errorCallbackURL"])
@pytest.mark.parametrize(
    "url", ["https://evil.test/akun", "//evil.test/akun", "https://auth.esensi.test@evil.test/"]
)
async def test_a_foreign_callback_url_is_refused(google, idp, database, field, url):
    body = {"provider": "google", field: url}
    response = await google.post("/api/auth/sign-in/social", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["loc"] == ["body", field]
    assert await oauth_states(database) == []


async def test_an_absolute_callback_on_a_configured_origin_is_kept(google, idp):
    response = await sign_in_with_google(google, callbackURL=AUTH_ORIGIN + "/selesai")
    assert response.headers["location"] == AUTH_ORIGIN + "/selesai"


async def test_an_unknown_provider_is_not_configured(google):
    response = await google.post("/api/auth/sign-in/social", json={"provider": "github"})
    assert (response.status_code, response.json()["code"]) == (404, "PROVIDER_NOT_FOUND")


async def test_without_a_client_id_google_is_not_configured(web):
    response = await web.post(
        "/api/auth/sign-in/social", json={"provider": "google"}, headers={"Accept-Language": "en"}
    )
    assert (response.status_code, response.json()["code"]) == (404, "PROVIDER_NOT_FOUND")
    assert response.json()["message"] == "Sign-in with this provider is not configured"
    callback = await web.get("/api/auth/callback/google?code=a&state=b")
    assert (callback.status_code, callback.json()["code"]) == (404, "PROVIDER_NOT_FOUND")


async def test_an_unreachable_provider_answers_503(google, idp, database):
    await idp.stop()
    response = await google.post("/api/auth/sign-in/social", json={"provider": "google"})
    assert (response.status_code, response.json()["code"]) == (503, "PROVIDER_UNAVAILABLE")
    assert await oauth_states(database) == []
