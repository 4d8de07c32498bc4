"""esensi's account endpoints (spec/endpoints.md 6): register, onboarding, the caller's own
user and sign-in methods, and the root get-session."""

from __future__ import annotations

import uuid

import pytest
from auth_helpers import alive, bearer, committed_login, sign_in
from sqlalchemy import select

from esensi.models.customer import Customer

REGISTER = {
    "name": "Sari",
    "email": "Sari@Contoh.id",
    "password": "rahasia-sekali-1",
    "confirmPassword": "rahasia-sekali-1",
    "terms": True,
}


async def test_register_creates_a_customer_and_mails_a_verification_link(web, mail, database):
    response = await web.post("/api/auth/register", json=REGISTER)
    assert response.status_code == 200, response.text
    assert mail.last("email-verification", "sari@contoh.id")
    async with database.sessionmaker() as db:
        customer = (
            await db.scalars(select(Customer).where(Customer.email == "sari@contoh.id"))
        ).one()
    assert customer.id_user is not None
    await sign_in(web, "sari@contoh.id", "rahasia-sekali-1")
    session = (await web.get("/api/auth/get-session")).json()
    assert session["user"]["idCustomer"] == str(customer.id)
    assert session["user"]["idAuthor"] is None


async def test_register_answers_alike_for_a_taken_email(web, mail, database):
    user = await committed_login(database)
    first = await web.post("/api/auth/register", json=REGISTER)
    second = await web.post("/api/auth/register", json={**REGISTER, "email": user.email})
    assert (first.status_code, first.content) == (second.status_code, second.content)
    assert mail.last("account-exists", user.email)
    async with database.sessionmaker() as db:
        taken = await db.scalar(select(Customer.id).where(Customer.email == user.email))
    assert taken is None


@pytest.mark.parametrize(
    "change",
    [{"confirmPassword": "lain-sekali-123"}, {"terms": False}, {"password": "password123"}],
)
async def test_register_refuses_bad_input(web, change):
    body = {**REGISTER, **change}
    if "password" in change:
        body["confirmPassword"] = change["password"]
    assert (await web.post("/api/auth/register", json=body)).status_code == 422


async def test_onboarding_creates_the_profile_once_and_rotates_the_session(web, database):
    user = await committed_login(database)
    old = await sign_in(web, user.email)
    response = await web.post("/api/auth/onboarding", json={"role": "author"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert response.headers["set-auth-token"] == data["token"]
    assert not await alive(web, old)
    assert await alive(web, data["token"])
    session = (await web.get("/api/auth/get-session")).json()
    assert session["user"]["idAuthor"] == data["profileId"]
    again = await web.post("/api/auth/onboarding", json={"role": "author"})
    assert again.status_code == 409
    assert again.json()["message"] == "Profil sudah ada"


async def test_onboarding_needs_a_session(web):
    assert (await web.post("/api/auth/onboarding", json={"role": "publisher"})).status_code == 401


async def test_own_user_detail_has_accounts_and_sessions_but_no_secrets(web, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    detail = await web.get("/api/auth/user/detail")
    assert detail.status_code == 200, detail.text
    data = detail.json()["data"]
    assert data["user"]["email"] == user.email
    assert [a["providerId"] for a in data["accounts"]] == ["credential"]
    assert len(data["sessions"]) == 1
    assert data["sessions"][0]["token"] == data["sessions"][0]["id"]  # a handle, not a bearer
    text = detail.text.lower()
    for secret in ("argon2", "password"):
        assert secret not in text
    assert (await web.get("/api/auth/user")).json()["data"]["id"] == str(user.id)


async def test_user_update_changes_only_allowed_fields(web, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    ok = await web.post(
        "/api/auth/user/update", json={"name": "Nama Baru", "username": "nama_baru"}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["data"]["name"] == "Nama Baru"
    for field, value in (("email", "x@contoh.id"), ("emailVerified", True), ("id", str(user.id))):
        refused = await web.post("/api/auth/user/update", json={field: value})
        assert refused.status_code == 422, field
    plain = await web.post("/api/auth/update-user", json={"image": "/img/a.png"})
    assert (plain.status_code, plain.json()) == (200, {"status": True})  # better-auth's answer
    assert (await web.get("/api/auth/get-session")).json()["user"]["image"] == "/img/a.png"
    refused = await web.post("/api/auth/update-user", json={"email": "x@contoh.id"})
    assert (refused.status_code, refused.json()["code"]) == (400, "VALIDATION_ERROR")


async def test_a_taken_username_is_409(web, database):
    await committed_login(database, username="sudah_ada")
    user = await committed_login(database)
    await sign_in(web, user.email)
    response = await web.post("/api/auth/user/update", json={"username": "Sudah_Ada"})
    assert response.status_code == 409


async def test_accounts_are_own_only(web, database):
    owner = await committed_login(database)
    await sign_in(web, owner.email)
    theirs = (await web.get("/api/auth/account/list")).json()["data"][0]["id"]
    web.cookies.clear()
    me = await committed_login(database)
    await sign_in(web, me.email)
    mine = (await web.get("/api/auth/account/list")).json()["data"]
    assert [a["providerId"] for a in mine] == ["credential"]
    listed = (await web.get("/api/auth/list-accounts")).json()  # better-auth's route
    assert [(a["id"], a["provider"], a["providerId"]) for a in listed] == [
        (mine[0]["id"], "credential", "credential")
    ]
    own = await web.get("/api/auth/account/detail", params={"id": mine[0]["id"]})
    assert own.status_code == 200
    foreign = await web.get("/api/auth/account/detail", params={"id": theirs})
    missing = await web.get("/api/auth/account/detail", params={"id": str(uuid.uuid4())})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content


async def test_root_get_session_shows_this_hosts_session_uncached(web, database):
    assert (await web.get("/api/get-session")).json() is None
    user = await committed_login(database)
    token = await sign_in(web, user.email)
    web.cookies.clear()
    response = await web.get("/api/get-session", headers=bearer(token))
    assert response.json()["user"]["id"] == str(user.id)
    assert response.headers["cache-control"] == "no-store"
