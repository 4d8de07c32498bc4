"""link-social and unlink-account (spec/endpoints.md auth): linking needs a fresh sign-in and
attaches the Google account to the signed-in login; the last way to sign in cannot be removed."""

from __future__ import annotations

from auth.conftest import AUTH_ORIGIN
from auth_helpers import committed_login, sign_in
from google_helpers import (
    authorize,
    come_back,
    google_accounts,
    oauth_states,
    sign_in_with_google,
    start,
    user_by_email,
)

from rlib.testing.oidc import StubUser

LINK = "/api/auth/link-social"
UNLINK = "/api/auth/unlink-account"


async def _link(web, **body: str):
    return await come_back(web, await authorize(await start(web, LINK, **body)))


async def test_link_social_attaches_google_to_the_signed_in_login(google, idp, database):
    user = await committed_login(database, email="tautkan@contoh.id")
    await sign_in(google, "tautkan@contoh.id")
    idp.user = StubUser(sub="g-linked", email="lain@gmail.test", email_verified=False)
    response = await _link(google, callbackURL="/akun/tertaut")
    assert response.status_code == 302
    assert response.headers["location"] == AUTH_ORIGIN + "/akun/tertaut"
    [row] = await oauth_states(database)
    assert row.id_user == user.id
    [account] = await google_accounts(database, "g-linked")
    assert account.id_user == user.id
    await google.post("/api/auth/sign-out")
    assert (await sign_in_with_google(google)).status_code == 302
    me = (await google.get("/api/auth/get-session")).json()["user"]
    assert me["id"] == str(user.id)


async def test_link_social_needs_a_fresh_sign_in(google, idp, database, clock):
    await committed_login(database, email="basi@contoh.id")
    await sign_in(google, "basi@contoh.id")
    clock.advance(seconds=300 + 1)
    response = await google.post(LINK, json={"provider": "google"})
    assert (response.status_code, response.json()["code"]) == (403, "SESSION_EXPIRED")
    assert await oauth_states(database) == []


async def test_link_social_needs_a_session(google, idp):
    response = await google.post(LINK, json={"provider": "google"})
    assert response.status_code == 401


async def test_a_google_account_of_another_login_is_not_linked(google, idp, database):
    idp.user = StubUser(sub="g-taken", email="pemilik@gmail.test")
    await sign_in_with_google(google)
    await google.post("/api/auth/sign-out")
    await committed_login(database, email="kedua@contoh.id")
    await sign_in(google, "kedua@contoh.id")
    response = await _link(google, errorCallbackURL="/akun")
    assert response.headers["location"] == AUTH_ORIGIN + "/akun?error=oauth_account_taken"
    [account] = await google_accounts(database, "g-taken")
    owner = await user_by_email(database, "pemilik@gmail.test")
    assert owner is not None
    assert account.id_user == owner.id


async def test_linking_finishes_only_for_the_user_who_started_it(google, idp, database):
    await committed_login(database, email="mulai@contoh.id")
    await committed_login(database, email="lanjut@contoh.id")
    await sign_in(google, "mulai@contoh.id")
    location = await authorize(await start(google, LINK, errorCallbackURL="/akun"))
    await sign_in(google, "lanjut@contoh.id")  # someone else signs in in that browser
    response = await come_back(google, location)
    assert response.headers["location"] == AUTH_ORIGIN + "/akun?error=oauth_session_changed"
    assert await google_accounts(database) == []


async def test_unlink_removes_google_while_the_password_remains(google, idp, database):
    await committed_login(database, email="lepas@contoh.id")
    await sign_in(google, "lepas@contoh.id")
    idp.user = StubUser(sub="g-lepas", email="lepas@gmail.test")
    await _link(google)
    response = await google.post(UNLINK, json={"providerId": "google"})
    assert response.status_code == 200, response.text
    assert await google_accounts(database) == []
    last = await google.post(UNLINK, json={"providerId": "credential"})
    assert (last.status_code, last.json()["code"]) == (400, "FAILED_TO_UNLINK_LAST_ACCOUNT")
    await google.post("/api/auth/sign-out")
    assert await sign_in(google, "lepas@contoh.id")  # the password is still there


async def test_a_google_only_login_cannot_unlink_google(google, idp, database):
    idp.user = StubUser(sub="g-only", email="hanya@gmail.test")
    await sign_in_with_google(google)
    response = await google.post(
        UNLINK, json={"providerId": "google"}, headers={"Accept-Language": "en"}
    )
    assert (response.status_code, response.json()["code"]) == (400, "FAILED_TO_UNLINK_LAST_ACCOUNT")
    assert response.json()["message"] == "The last sign-in method cannot be removed"
    assert len(await google_accounts(database, "g-only")) == 1


async def test_the_password_can_go_when_google_remains(google, idp, database):
    await committed_login(database, email="tanpa-sandi@contoh.id")
    await sign_in(google, "tanpa-sandi@contoh.id")
    idp.user = StubUser(sub="g-sisa", email="sisa@gmail.test")
    await _link(google)
    response = await google.post(UNLINK, json={"providerId": "credential"})
    assert response.status_code == 200, response.text
    await google.post("/api/auth/sign-out")
    failed = await google.post(
        "/api/auth/sign-in/email", json={"email": "tanpa-sandi@contoh.id", "password": "x" * 10}
    )
    assert failed.status_code == 401
    assert (await sign_in_with_google(google)).status_code == 302


async def test_unlinking_an_account_the_login_lacks_is_refused(google, idp, database):
    await committed_login(database, email="kosong@contoh.id")
    await sign_in(google, "kosong@contoh.id")
    response = await google.post(UNLINK, json={"providerId": "google"})
    assert (response.status_code, response.json()["code"]) == (400, "NOT_FOUND")  # better-auth: 400


async def test_unlink_needs_a_fresh_sign_in(google, idp, database, clock):
    await committed_login(database, email="segar@contoh.id")
    await sign_in(google, "segar@contoh.id")
    clock.advance(seconds=300 + 1)
    response = await google.post(UNLINK, json={"providerId": "credential"})
    assert (response.status_code, response.json()["code"]) == (403, "SESSION_EXPIRED")
