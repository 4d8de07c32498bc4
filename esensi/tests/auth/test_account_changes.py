"""Password and email changes, the fresh sign-in window, and session management
(spec/workflows.md 1.3, 1.7; security.md S6, S7; T3.12, T3.13)."""

from __future__ import annotations

import uuid

from auth_helpers import alive, bearer, committed_login, sign_in, token_of

from factories.logins import PASSWORD

NEW_PASSWORD = "sandi-baru-yang-panjang-7"


def _change(current: str = PASSWORD, new: str = NEW_PASSWORD) -> dict[str, str]:
    return {"currentPassword": current, "newPassword": new}


async def test_change_password_keeps_this_session_and_revokes_the_others(web, mail, database):
    user = await committed_login(database)
    other = await sign_in(web, user.email)
    web.cookies.clear()
    mine = await sign_in(web, user.email)
    response = await web.post("/api/auth/change-password", json=_change())
    assert response.status_code == 200, response.text
    assert await alive(web, mine)
    assert not await alive(web, other)
    assert mail.last("password-changed", user.email).context["ip"]
    web.cookies.clear()
    await sign_in(web, user.email, NEW_PASSWORD)


async def test_change_password_needs_the_current_password(web, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    response = await web.post("/api/auth/change-password", json=_change(current="salah-sekali-1"))
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_PASSWORD"


async def test_change_password_refuses_a_common_password(web, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    response = await web.post("/api/auth/change-password", json=_change(new="iloveyou123"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "newPassword"


async def test_sensitive_changes_need_a_sign_in_from_the_last_five_minutes(web, database, clock):
    user = await committed_login(database)
    await sign_in(web, user.email)
    clock.advance(minutes=5, seconds=1)
    for url, body in (
        ("/api/auth/change-password", _change()),
        ("/api/auth/change-email", {"newEmail": "lain@contoh.id"}),
    ):
        response = await web.post(url, json=body)
        assert response.status_code == 403, url
        assert response.json()["code"] == "SESSION_EXPIRED"
    await sign_in(web, user.email)  # signing in again rotates the token and refreshes the window
    assert (await web.post("/api/auth/change-password", json=_change())).status_code == 200


async def test_change_password_is_throttled_per_account(web, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    wrong = _change(current="salah-sekali-1")
    statuses = [
        (await web.post("/api/auth/change-password", json=wrong)).status_code for _ in range(6)
    ]
    assert statuses == [400] * 5 + [429]


async def test_change_email_confirms_through_the_new_address(web, mail, database):
    user = await committed_login(database)
    other = await sign_in(web, user.email)
    web.cookies.clear()
    await sign_in(web, user.email)
    response = await web.post("/api/auth/change-email", json={"newEmail": " Baru@Contoh.ID "})
    assert response.status_code == 200, response.text
    link = mail.last("change-email-verification", "baru@contoh.id").context["url"]
    assert mail.last("email-changed", user.email).context["new_email"] == "baru@contoh.id"
    session = (await web.get("/api/auth/get-session")).json()
    assert session["user"]["email"] == user.email  # nothing changes before the confirmation
    confirmed = await web.get("/api/auth/verify-email", params={"token": token_of(link)})
    assert confirmed.status_code == 200, confirmed.text
    session = (await web.get("/api/auth/get-session")).json()
    assert session["user"]["email"] == "baru@contoh.id"
    assert session["user"]["emailVerified"] is True
    assert not await alive(web, other)


async def test_an_email_change_kills_pending_reset_links(web, mail, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    await web.post("/api/auth/forget-password", json={"email": user.email})
    reset = token_of(mail.last("password-reset", user.email).context["url"])
    await web.post("/api/auth/change-email", json={"newEmail": "pindah@contoh.id"})
    link = mail.last("change-email-verification", "pindah@contoh.id").context["url"]
    await web.get("/api/auth/verify-email", params={"token": token_of(link)})
    response = await web.post(
        "/api/auth/reset-password", json={"token": reset, "newPassword": NEW_PASSWORD}
    )
    assert response.status_code == 400


async def test_change_email_to_a_taken_address_answers_alike(web, mail, database):
    user = await committed_login(database)
    taken = await committed_login(database)
    await sign_in(web, user.email)
    free = await web.post("/api/auth/change-email", json={"newEmail": "bebas@contoh.id"})
    clash = await web.post("/api/auth/change-email", json={"newEmail": taken.email})
    assert (free.status_code, free.content) == (clash.status_code, clash.content)
    assert mail.last("account-exists", taken.email)


async def test_list_and_revoke_own_sessions(web, database):
    user = await committed_login(database)
    other = await sign_in(web, user.email)
    web.cookies.clear()
    mine = await sign_in(web, user.email)
    listed = (await web.get("/api/auth/list-sessions")).json()
    assert len(listed) == 2
    assert sum(s["current"] for s in listed) == 1
    # better-auth's ``token`` is the session's handle here, never a bearer token.
    assert all(s["token"] == s["id"] for s in listed)
    assert not {other, mine} & {value for s in listed for value in s.values()}
    other_handle = next(s["token"] for s in listed if not s["current"])
    revoked = await web.post("/api/auth/revoke-session", json={"token": other_handle})
    assert (revoked.status_code, revoked.json()) == (200, {"status": True})
    assert not await alive(web, other)
    assert await alive(web, mine)


async def test_a_foreign_or_missing_session_is_refused_alike(web, database):
    owner = await committed_login(database)
    theirs = await sign_in(web, owner.email)
    foreign_id = (await web.get("/api/auth/list-sessions")).json()[0]["token"]
    web.cookies.clear()
    me = await committed_login(database)
    await sign_in(web, me.email)
    foreign = await web.post("/api/auth/revoke-session", json={"token": foreign_id})
    missing = await web.post("/api/auth/revoke-session", json={"token": str(uuid.uuid4())})
    assert foreign.status_code == missing.status_code == 400  # better-auth: session not found
    assert foreign.content == missing.content
    assert await alive(web, theirs)


async def test_revoke_other_sessions_keeps_the_current_one(web, database):
    user = await committed_login(database)
    first = await sign_in(web, user.email)
    web.cookies.clear()
    second = await sign_in(web, user.email)
    web.cookies.clear()
    current = await sign_in(web, user.email)
    assert (await web.post("/api/auth/revoke-other-sessions", json={})).status_code == 200
    assert [await alive(web, t) for t in (first, second, current)] == [False, False, True]


async def test_revoke_sessions_signs_out_everywhere(web, database):
    user = await committed_login(database)
    first = await sign_in(web, user.email)
    web.cookies.clear()
    current = await sign_in(web, user.email)
    response = await web.post("/api/auth/revoke-sessions", json={}, headers=bearer(current))
    assert response.status_code == 200
    assert [await alive(web, t) for t in (first, current)] == [False, False]
