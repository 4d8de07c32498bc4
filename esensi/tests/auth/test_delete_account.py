"""Deleting one's own account (spec/workflows.md 1.8; security.md S7 and the one-hour
delete-account link): confirmed by mail, then the login is scrubbed and cut from its profiles
while business rows stay."""

from __future__ import annotations

from auth_helpers import alive, committed_login, sign_in, token_of
from sqlalchemy import func, select

from esensi.models.auth import AuthAccount, AuthSession, AuthUser, AuthVerification
from esensi.models.author import Author
from esensi.models.customer import Customer
from factories.logins import add_profile

CALLBACK = "/api/auth/delete-user/callback"


async def _with_profiles(database, *kinds):
    user = await committed_login(database)
    async with database.sessionmaker() as db:
        ids = {kind: await add_profile(db, user, kind) for kind in kinds}
        await db.commit()
    return user, ids


async def _ask(web, mail, user) -> str:
    response = await web.post("/api/auth/delete-user", json={})
    assert response.status_code == 200, response.text
    return token_of(mail.last("delete-account-confirm", user.email).context["url"])


async def test_deletion_scrubs_the_login_and_keeps_the_profiles_rows(web, mail, database):
    user, ids = await _with_profiles(database, "customer", "author")
    token = await _sign_in_and_ask(web, mail, user)
    other = web.cookies.get("session")
    response = await web.get(CALLBACK, params={"token": token})
    assert response.status_code == 200, response.text
    assert mail.last("account-deleted", user.email).context["name"] == user.name
    assert not await alive(web, str(other))
    async with database.sessionmaker() as db:
        login = await db.get(AuthUser, user.id)
        assert login is not None
        assert login.deleted_at is not None
        assert login.email == f"deleted+{user.id}@invalid"
        assert login.name == ""
        assert await _count(db, AuthAccount, AuthAccount.id_user == user.id) == 0
        assert await _count(db, AuthVerification, AuthVerification.id_user == user.id) == 0
        live = AuthSession.revoked_at.is_(None) & (AuthSession.id_user == user.id)
        assert await _count(db, AuthSession, live) == 0
        customer = await db.get(Customer, ids["customer"])
        author = await db.get(Author, ids["author"])
    assert customer is not None
    assert customer.id_user is None
    assert customer.deleted_at is not None
    assert customer.email != user.email
    assert customer.whatsapp is None
    assert author is not None
    assert author.id_user is None
    assert author.name == user.name


async def _sign_in_and_ask(web, mail, user) -> str:
    await sign_in(web, user.email)
    return await _ask(web, mail, user)


async def _count(db, model, where) -> int:
    return int(await db.scalar(select(func.count()).select_from(model).where(where)) or 0)


async def test_the_deleted_login_cannot_sign_in_and_its_address_is_free(web, mail, database):
    user, _ = await _with_profiles(database, "customer")
    token = await _sign_in_and_ask(web, mail, user)
    assert (await web.get(CALLBACK, params={"token": token})).status_code == 200
    web.cookies.clear()
    response = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": "kata-sandi-rahasia-9"}
    )
    assert response.status_code == 401
    new_password = "sandi-baru-yang-panjang-7"
    register = {
        "name": "Baru",
        "email": user.email,
        "password": new_password,
        "confirmPassword": new_password,
        "terms": True,
    }
    assert (await web.post("/api/auth/register", json=register)).status_code == 200, register
    await sign_in(web, user.email, new_password)


async def test_the_link_is_single_use_and_dies_after_an_hour(web, mail, database, clock):
    user, _ = await _with_profiles(database, "customer")
    token = await _sign_in_and_ask(web, mail, user)
    clock.advance(hours=1, seconds=1)
    response = await web.get(CALLBACK, params={"token": token})
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_TOKEN"
    async with database.sessionmaker() as db:
        login = await db.get(AuthUser, user.id)
    assert login is not None
    assert login.deleted_at is None
    clock.advance(hours=-1, seconds=-1)
    again = await _sign_in_and_ask(web, mail, user)
    assert (await web.get(CALLBACK, params={"token": again})).status_code == 200
    assert (await web.get(CALLBACK, params={"token": again})).status_code == 400


async def test_asking_needs_a_fresh_sign_in(web, database, clock):
    user, _ = await _with_profiles(database, "customer")
    await sign_in(web, user.email)
    clock.advance(minutes=5, seconds=1)
    response = await web.post("/api/auth/delete-user", json={})
    assert response.status_code == 403
    assert response.json()["code"] == "SESSION_EXPIRED"


async def test_asking_needs_a_session(web):
    assert (await web.post("/api/auth/delete-user", json={})).status_code == 401


async def test_staff_cannot_delete_their_own_login(web, mail, database):
    user, _ = await _with_profiles(database, "internal")
    await sign_in(web, user.email)
    response = await web.post("/api/auth/delete-user", json={})
    assert response.status_code == 409
    assert response.json()["code"] == "ACCOUNT_UNDELETABLE"
    assert not [m for m in mail.sent if m.template == "delete-account-confirm"]


async def test_the_link_dies_when_the_address_changed_meanwhile(web, mail, database):
    user, _ = await _with_profiles(database, "customer")
    token = await _sign_in_and_ask(web, mail, user)
    async with database.sessionmaker() as db:
        login = await db.get(AuthUser, user.id)
        assert login is not None
        login.email = "pindah@contoh.id"
        await db.commit()
    assert (await web.get(CALLBACK, params={"token": token})).status_code == 400


async def test_callback_url_redirects_and_must_be_allowlisted(web, mail, database):
    user, _ = await _with_profiles(database, "customer")
    await sign_in(web, user.email)
    refused = await web.post("/api/auth/delete-user", json={"callbackURL": "https://evil.test/"})
    assert refused.status_code == 400
    token = await _ask(web, mail, user)
    response = await web.get(CALLBACK, params={"token": token, "callbackURL": "/sampai-jumpa"})
    assert response.status_code == 302
    assert response.headers["location"].endswith("/sampai-jumpa")
