"""Sign-up, sign-in, get-session, sign-out, cookie and bearer (security.md S1-S4, E1)."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from esensi.app import build_app
from esensi.models.auth import AuthSession
from factories.logins import PASSWORD, add_profile, make_login
from rlib.auth.sessions import COOKIE_PLAIN
from rlib.testing import app_client


async def _login(database, **overrides):
    async with database.sessionmaker() as db:
        user = await make_login(db, **overrides)
        await db.commit()
    return user


async def test_sign_up_then_sign_in_with_the_cookie(web, mail):
    body = {"name": "Budi", "email": " Budi@Contoh.ID ", "password": "rahasia-sekali-1"}
    response = await web.post("/api/auth/sign-up/email", json=body)
    assert response.status_code == 200, response.text
    assert mail.last("email-verification", "budi@contoh.id").context["url"]
    signed = await web.post(
        "/api/auth/sign-in/email", json={"email": "BUDI@contoh.id", "password": "rahasia-sekali-1"}
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["user"]["email"] == "budi@contoh.id"
    session = (await web.get("/api/auth/get-session")).json()
    assert session["user"]["email"] == "budi@contoh.id"
    # better-auth's session object; its token is the session's handle, never the bearer.
    assert session["session"]["token"] == session["session"]["id"]
    assert signed.json()["token"] not in str(session)


async def test_sign_up_answers_alike_for_a_taken_email(web, mail, database):
    user = await _login(database)
    new = {"name": "A", "email": "baru@contoh.id", "password": "rahasia-sekali-1"}
    taken = {"name": "A", "email": user.email.upper(), "password": "rahasia-sekali-1"}
    first = await web.post("/api/auth/sign-up/email", json=new)
    second = await web.post("/api/auth/sign-up/email", json=taken)
    assert first.status_code == second.status_code == 200
    # Only the values a fresh login would have differ (a new id, the time, the address given).
    variable = {"id", "createdAt", "updatedAt", "email"}
    assert _without(first.json()["user"], variable) == _without(second.json()["user"], variable)
    assert first.json()["token"] is second.json()["token"] is None
    assert second.json()["user"]["id"] != str(user.id)
    assert second.json()["user"]["email"] == user.email
    assert mail.last("account-exists", user.email)


def _without(user: dict[str, object], keys: set[str]) -> dict[str, object]:
    return {k: v for k, v in user.items() if k not in keys}


async def test_session_token_is_stored_only_as_its_sha256(web, database):
    user = await _login(database)
    signed = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD}
    )
    token = signed.json()["token"]
    assert len(token) == 43
    async with database.sessionmaker() as db:
        rows = (await db.scalars(select(AuthSession).where(AuthSession.id_user == user.id))).all()
    assert [r.token_hash for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]


async def test_unknown_user_and_wrong_password_answer_identically(web, database):
    user = await _login(database)
    wrong = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": "salah-salah-1"}
    )
    unknown = await web.post(
        "/api/auth/sign-in/email",
        json={"email": "tidak-ada@contoh.id", "password": "salah-salah-1"},
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.content == unknown.content
    assert wrong.json() == {
        "code": "INVALID_EMAIL_OR_PASSWORD",
        "message": "Email atau kata sandi salah",
    }
    english = await web.post(
        "/api/auth/sign-in/email",
        json={"email": user.email, "password": "salah-salah-1"},
        headers={"Accept-Language": "en"},
    )
    assert english.json() == {
        "code": "INVALID_EMAIL_OR_PASSWORD",
        "message": "Wrong email or password",
    }


async def test_disabled_account_cannot_sign_in(web, database, clock):
    user = await _login(database, deleted_at=clock.now)
    response = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 401


async def test_sign_in_by_username(web, database):
    user = await _login(database, username="Budi_Santoso")
    response = await web.post(
        "/api/auth/sign-in/username", json={"username": "budi_santoso", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["user"]["id"] == str(user.id)
    assert response.json()["user"]["username"] == "Budi_Santoso"
    wrong = await web.post(
        "/api/auth/sign-in/username", json={"username": "budi_santoso", "password": "salah-1234"}
    )
    assert (wrong.status_code, wrong.json()["code"]) == (401, "INVALID_USERNAME_OR_PASSWORD")


async def test_bearer_reaches_a_protected_endpoint_and_nothing_gets_401(web, database):
    user = await _login(database)
    token = (
        await web.post("/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD})
    ).json()["token"]
    web.cookies.clear()
    anonymous = await web.post("/api/auth/role-check", json={"roles": ["author"]})
    assert anonymous.status_code == 401
    assert anonymous.json()["success"] is False
    bearer = await web.post(
        "/api/auth/role-check",
        json={"roles": ["author"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert bearer.status_code == 200
    assert bearer.json()["data"] == {"author": False}


async def test_sign_out_revokes_the_session_and_expires_the_cookie(web, database):
    user = await _login(database)
    token = (
        await web.post("/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD})
    ).json()["token"]
    out = await web.post("/api/auth/sign-out", json={})
    assert (out.status_code, out.json()) == (200, {"success": True})
    assert "Max-Age=0" in out.headers["set-cookie"]
    web.cookies.clear()
    again = await web.get("/api/auth/get-session", headers={"Authorization": f"Bearer {token}"})
    assert again.json() is None
    dead = await web.post(
        "/api/auth/sign-out", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    # better-auth's answer to a sign-out without a live session.
    assert (dead.status_code, dead.json()["code"]) == (400, "FAILED_TO_GET_SESSION")


async def test_logout_and_login_aliases(web, database):
    user = await _login(database)
    assert (
        await web.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    ).status_code == 200
    assert (await web.post("/api/auth/logout", json={})).status_code == 200
    assert (await web.get("/api/auth/get-session")).json() is None


async def test_sign_in_rotates_the_presented_session(web, database):
    user = await _login(database)
    creds = {"email": user.email, "password": PASSWORD}
    first = (await web.post("/api/auth/sign-in/email", json=creds)).json()["token"]
    second = (await web.post("/api/auth/sign-in/email", json=creds)).json()["token"]
    assert first != second
    web.cookies.clear()
    old = await web.get("/api/auth/get-session", headers={"Authorization": f"Bearer {first}"})
    assert (old.status_code, old.json()) == (200, None)


async def test_get_session_lists_profiles_and_staff_roles(web, database):
    async with database.sessionmaker() as db:
        user = await make_login(db)
        staff_id = await add_profile(db, user, "internal", is_support=True)
        await db.commit()
    await web.post("/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD})
    signed = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD}
    )
    data = (await web.get("/api/auth/get-session")).json()
    for shown in (data["user"], signed.json()["user"]):
        assert shown["idInternal"] == str(staff_id)
        assert shown["idCustomer"] is shown["idAuthor"] is shown["idAffiliate"] is None
        assert shown["isSupport"] is True
        assert shown["isManagement"] is shown["isIt"] is shown["isSalesAndMarketing"] is False
        assert {"createdAt", "updatedAt", "twoFactorEnabled"} <= shown.keys()
        assert not {"password", "token", "secret"} & shown.keys()


async def test_cookie_is_plain_over_http_and_host_prefixed_secure_over_https(
    database, settings, kit
):
    async with database.sessionmaker() as db:
        user = await make_login(db)
        await db.commit()
    creds = {"email": user.email, "password": PASSWORD}
    app = build_app(settings, kit=kit)
    app.use_database(database)
    async with app_client(app, base_url="https://esensi.test") as client:
        cookie = (await client.post("/api/auth/sign-in/email", json=creds)).headers["set-cookie"]
        assert cookie.startswith("__Host-session=")
        for part in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
            assert part in cookie.split("; ")
        assert "Domain" not in cookie
        max_age = int(cookie.split("Max-Age=")[1].split(";")[0])
        assert max_age == 30 * 86400
    async with app_client(app) as client:
        cookie = (await client.post("/api/auth/sign-in/email", json=creds)).headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE_PLAIN}=")
        assert "Secure" not in cookie
