"""Google sign-in (OpenID Connect) against a stub provider on 127.0.0.1 (spec/workflows.md 1.6,
security.md K1, T3.16): new and returning users, linking by verified email only, and every
refusal: state replay, wrong or expired state, nonce, signature, audience, PKCE, callback URL."""

from __future__ import annotations

from auth.conftest import AUTH_ORIGIN, GOOGLE_CLIENT_ID
from auth_helpers import alive, committed_login, sign_in
from google_helpers import (
    google_accounts,
    oauth_states,
    query_of,
    session_cookies,
    sign_in_with_google,
    start,
    user_by_email,
)
from sqlalchemy import select

from esensi.models.audit import AuditLog
from esensi.models.auth import AuthAccount, AuthSession
from esensi.models.customer import Customer
from rlib.auth.oidc import s256_challenge
from rlib.testing.oidc import StubUser


async def test_a_new_user_is_created_signed_in_and_redirected(google, idp, database):
    idp.user = StubUser(sub="g-new-1", email="Baru@Gmail.test", name="Sari Baru")
    response = await sign_in_with_google(google)
    assert response.status_code == 302, response.text
    assert response.headers["location"] == AUTH_ORIGIN + "/akun"
    assert session_cookies(response)
    user = await user_by_email(database, "baru@gmail.test")
    assert user is not None
    assert (user.name, user.email_verified) == ("Sari Baru", True)
    [account] = await google_accounts(database, "g-new-1")
    assert account.id_user == user.id
    # Nothing of the provider's tokens is kept.
    assert (account.access_token, account.refresh_token, account.id_token) == (None, None, None)
    async with database.sessionmaker() as db:
        customer = await db.scalar(select(Customer).where(Customer.id_user == user.id))
        link = await db.scalar(select(AuditLog).where(AuditLog.entity_id == str(customer.id)))
    assert customer is not None  # like the store's register, audited like it
    assert link is not None
    assert (link.action, link.id_user) == ("user.profile_link", user.id)
    session = (await google.get("/api/auth/get-session")).json()
    assert session["user"]["email"] == "baru@gmail.test"


async def test_the_authorize_url_carries_state_nonce_and_pkce_s256(google, idp, database):
    url = await start(google)
    params = query_of(url)
    assert params["client_id"] == GOOGLE_CLIENT_ID
    assert params["redirect_uri"] == AUTH_ORIGIN + "/api/auth/callback/google"
    assert params["code_challenge_method"] == "S256"
    assert set(params["scope"].split()) == {"openid", "email", "profile"}
    assert len(params["state"]) == 43
    assert len(params["nonce"]) == 43
    [row] = await oauth_states(database)
    assert row.value_hash != params["state"]  # stored hashed
    assert row.data is not None
    assert s256_challenge(row.data["verifier"]) == params["code_challenge"]
    assert row.data["nonce"] == params["nonce"]
    assert (row.expires_at - row.created_at).total_seconds() <= 600 + 1


async def test_a_returning_user_signs_in_to_the_same_login(google, idp, database):
    idp.user = StubUser(sub="g-back-1", email="kembali@gmail.test")
    first = await sign_in_with_google(google)
    await google.post("/api/auth/sign-out")
    idp.user = StubUser(sub="g-back-1", email="kembali@gmail.test", name="Nama Baru")
    second = await sign_in_with_google(google)
    assert (first.status_code, second.status_code) == (302, 302)
    assert len(await google_accounts(database, "g-back-1")) == 1
    user = await user_by_email(database, "kembali@gmail.test")
    assert user is not None
    async with database.sessionmaker() as db:
        sessions = list(await db.scalars(select(AuthSession).where(AuthSession.id_user == user.id)))
    assert len(sessions) == 2


async def test_a_new_user_with_an_unverified_google_email_stays_unverified(google, idp, database):
    idp.user = StubUser(sub="g-unv-1", email="belum@gmail.test", email_verified=False)
    response = await sign_in_with_google(google)
    assert response.status_code == 302
    user = await user_by_email(database, "belum@gmail.test")
    assert user is not None
    assert user.email_verified is False


async def test_a_verified_google_email_links_the_existing_login(google, idp, database):
    user = await committed_login(database, email="ada@contoh.id", email_verified=True)
    idp.user = StubUser(sub="g-link-1", email="ADA@contoh.id", email_verified=True)
    response = await sign_in_with_google(google)
    assert response.headers["location"] == AUTH_ORIGIN + "/akun"
    [account] = await google_accounts(database, "g-link-1")
    assert account.id_user == user.id
    me = (await google.get("/api/auth/get-session")).json()["user"]
    assert me["id"] == str(user.id)
    assert (await google.post("/api/auth/sign-out")).status_code == 200
    assert await sign_in(google, "ada@contoh.id")  # the password still works


async def test_an_unverified_google_email_never_links_an_existing_login(google, idp, database):
    user = await committed_login(database, email="korban@contoh.id", email_verified=True)
    idp.user = StubUser(sub="g-attacker", email="korban@contoh.id", email_verified=False)
    response = await sign_in_with_google(google, errorCallbackURL="/masuk")
    assert response.status_code == 302
    assert response.headers["location"] == AUTH_ORIGIN + "/masuk?error=oauth_email_unverified"
    assert session_cookies(response) == []
    assert await google_accounts(database) == []
    assert (await google.get("/api/auth/get-session")).json() is None
    assert await user_by_email(database, "korban@contoh.id") is not None
    assert user.id == (await user_by_email(database, "korban@contoh.id")).id


async def test_a_verified_email_takes_over_an_unproven_login(google, idp, database):
    # Someone registered the address with a password but never proved it: the provider's
    # proof wins, that password and its sessions go (pre-account hijacking).
    squatter = await committed_login(database, email="rebut@contoh.id", email_verified=False)
    token = await sign_in(google, "rebut@contoh.id")
    google.cookies.clear()
    idp.user = StubUser(sub="g-owner", email="rebut@contoh.id", email_verified=True)
    assert (await sign_in_with_google(google)).status_code == 302
    assert not await alive(google, token)
    async with database.sessionmaker() as db:
        accounts = list(
            await db.scalars(select(AuthAccount).where(AuthAccount.id_user == squatter.id))
        )
    assert [a.id_provider for a in accounts] == ["google"]
    user = await user_by_email(database, "rebut@contoh.id")
    assert user is not None
    assert user.email_verified is True


async def test_a_two_factor_login_gets_a_half_session(google, idp, database):
    await committed_login(
        database, email="dua@contoh.id", email_verified=True, two_factor_enabled=True
    )
    idp.user = StubUser(sub="g-2fa", email="dua@contoh.id")
    response = await sign_in_with_google(google)
    assert response.headers["location"] == AUTH_ORIGIN + "/akun?twoFactorRedirect=true"
    user = await user_by_email(database, "dua@contoh.id")
    async with database.sessionmaker() as db:
        [row] = list(await db.scalars(select(AuthSession).where(AuthSession.id_user == user.id)))
    assert row.two_factor_verified is False
    assert (await google.get("/api/auth/list-sessions")).status_code == 401
