"""Email verification and password reset links (spec/workflows.md 1.1, 1.3; T3.6, T3.7)."""

from __future__ import annotations

import pytest
from auth.conftest import AUTH_ORIGIN
from auth_helpers import alive, committed_login, sign_in, token_of
from sqlalchemy import select

from esensi.models.auth import AuthUser
from factories.logins import PASSWORD

NEW_PASSWORD = "sandi-baru-yang-panjang-7"


async def _signed_up(web, mail, email="baru@contoh.id") -> str:
    body = {"name": "Baru", "email": email, "password": "rahasia-sekali-1"}
    assert (await web.post("/api/auth/sign-up/email", json=body)).status_code == 200
    return token_of(mail.last("email-verification", email).context["url"])


async def _verified(database, email: str) -> bool:
    async with database.sessionmaker() as db:
        return bool(await db.scalar(select(AuthUser.email_verified).where(AuthUser.email == email)))


async def test_verification_link_verifies_once(web, mail, database):
    token = await _signed_up(web, mail)
    first = await web.get("/api/auth/verify-email", params={"token": token})
    assert first.status_code == 200, first.text
    assert await _verified(database, "baru@contoh.id")
    again = await web.get("/api/auth/verify-email", params={"token": token})
    assert again.status_code == 400
    assert again.json()["code"] == "INVALID_TOKEN"


async def test_verification_link_expires_after_24_hours(web, mail, database, clock):
    token = await _signed_up(web, mail)
    clock.advance(hours=24, seconds=1)
    response = await web.get("/api/auth/verify-email", params={"token": token})
    assert response.status_code == 400
    assert not await _verified(database, "baru@contoh.id")


async def test_verification_link_uses_the_configured_host(web, mail):
    body = {"name": "Baru", "email": "host@contoh.id", "password": "rahasia-sekali-1"}
    await web.post("/api/auth/sign-up/email", json=body, headers={"Host": "evil.test"})
    url = mail.last("email-verification", "host@contoh.id").context["url"]
    assert url.startswith("https://auth.esensi.test/api/auth/verify-email?token=")


async def test_verification_redirects_only_to_allowlisted_urls(web, mail):
    token = await _signed_up(web, mail)
    evil = await web.get(
        "/api/auth/verify-email", params={"token": token, "callbackURL": "https://evil.test/x"}
    )
    assert evil.status_code == 400
    good = await web.get("/api/auth/verify-email", params={"token": token, "callbackURL": "/ok"})
    assert good.status_code == 302
    assert good.headers["location"] == "https://auth.esensi.test/ok"
    used = await web.get("/api/auth/verify-email", params={"token": token, "callbackURL": "/ok"})
    assert used.headers["location"] == "https://auth.esensi.test/ok?error=invalid_token"


async def test_send_verification_answers_alike_and_mails_only_the_unverified(web, mail, database):
    user = await committed_login(database)
    known = await web.post("/api/auth/send-verification-email", json={"email": user.email})
    unknown = await web.post("/api/auth/send-verification-email", json={"email": "x@contoh.id"})
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert [m.to for m in mail.sent] == [user.email]


async def test_verification_sends_are_throttled_per_account(web, database):
    user = await committed_login(database)
    statuses = [
        (
            await web.post("/api/auth/send-verification-email", json={"email": user.email})
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


async def _reset_token(web, mail, email: str) -> str:
    response = await web.post("/api/auth/forget-password", json={"email": email})
    assert response.status_code == 200, response.text
    return token_of(mail.last("password-reset", email).context["url"])


async def test_forget_password_answers_alike_for_unknown_emails(web, mail, database):
    user = await committed_login(database)
    known = await web.post("/api/auth/forget-password", json={"email": user.email.upper()})
    unknown = await web.post("/api/auth/forget-password", json={"email": "siapa@contoh.id"})
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert [m.to for m in mail.sent] == [user.email]


async def test_reset_link_uses_the_configured_host_not_the_request_host(web, mail, database):
    user = await committed_login(database)
    await web.post(
        "/api/auth/forget-password", json={"email": user.email}, headers={"Host": "evil.test"}
    )
    url = mail.last("password-reset", user.email).context["url"]
    assert url.startswith("https://auth.esensi.test/reset-password?token=")


async def test_reset_sets_the_password_and_revokes_every_session(web, mail, database):
    user = await committed_login(database)
    first = await sign_in(web, user.email)
    second = await sign_in(web, user.email)
    token = await _reset_token(web, mail, user.email)
    reset = await web.post(
        "/api/auth/reset-password", json={"token": token, "newPassword": NEW_PASSWORD}
    )
    assert reset.status_code == 200, reset.text
    assert not await alive(web, first)
    assert not await alive(web, second)
    old = {"email": user.email, "password": PASSWORD}
    assert (await web.post("/api/auth/sign-in/email", json=old)).status_code == 401
    await sign_in(web, user.email, NEW_PASSWORD)
    assert mail.last("password-changed", user.email).context["name"] == user.name


async def test_reset_link_is_single_use_and_expires_after_an_hour(web, mail, database, clock):
    user = await committed_login(database)
    token = await _reset_token(web, mail, user.email)
    body = {"token": token, "newPassword": NEW_PASSWORD}
    assert (await web.post("/api/auth/reset-password", json=body)).status_code == 200
    assert (await web.post("/api/auth/reset-password", json=body)).status_code == 400
    late = await _reset_token(web, mail, user.email)
    clock.advance(hours=1, seconds=1)
    expired = await web.post(
        "/api/auth/reset-password", json={"token": late, "newPassword": NEW_PASSWORD}
    )
    assert expired.status_code == 400
    assert expired.json()["code"] == "INVALID_TOKEN"


async def test_a_password_change_kills_older_reset_links(web, mail, database):
    user = await committed_login(database)
    older = await _reset_token(web, mail, user.email)
    newer = await _reset_token(web, mail, user.email)
    done = await web.post(
        "/api/auth/reset-password", json={"token": newer, "newPassword": NEW_PASSWORD}
    )
    assert done.status_code == 200
    stale = await web.post(
        "/api/auth/reset-password", json={"token": older, "newPassword": "lain-lagi-sandi-8"}
    )
    assert stale.status_code == 400


@pytest.mark.parametrize("password", ["password123", "Sunshine1", "x" * 129, "pendek"])
async def test_reset_refuses_common_and_badly_sized_passwords(web, mail, database, password):
    user = await committed_login(database)
    token = await _reset_token(web, mail, user.email)
    response = await web.post(
        "/api/auth/reset-password", json={"token": token, "newPassword": password}
    )
    assert response.status_code == 400
    retry = await web.post(
        "/api/auth/reset-password", json={"token": token, "newPassword": NEW_PASSWORD}
    )
    assert retry.status_code == 200


async def test_a_successful_reset_clears_the_sign_in_lockout(web, mail, database):
    user = await committed_login(database)
    wrong = {"email": user.email, "password": "salah-salah-1"}
    for _ in range(5):
        await web.post("/api/auth/sign-in/email", json=wrong)
    assert (await web.post("/api/auth/sign-in/email", json=wrong)).status_code == 429
    token = await _reset_token(web, mail, user.email)
    await web.post("/api/auth/reset-password", json={"token": token, "newPassword": NEW_PASSWORD})
    await sign_in(web, user.email, NEW_PASSWORD)


async def test_request_password_reset_is_the_newer_clients_name_for_it(web, mail, database):
    user = await committed_login(database)
    response = await web.post("/api/auth/request-password-reset", json={"email": user.email})
    assert (response.status_code, response.json()) == (200, {"status": True})
    assert token_of(mail.last("password-reset", user.email).context["url"])


async def test_the_reset_link_route_bounces_to_the_page_with_the_token(web, mail, database):
    user = await committed_login(database)
    token = await _reset_token(web, mail, user.email)
    page = AUTH_ORIGIN + "/sandi-baru"
    live = await web.get(f"/api/auth/reset-password/{token}", params={"callbackURL": page})
    assert (live.status_code, live.headers["location"]) == (302, f"{page}?token={token}")
    # Not claimed by the bounce: the page can still use it.
    body = {"token": token, "newPassword": NEW_PASSWORD}
    assert (await web.post("/api/auth/reset-password", json=body)).status_code == 200
    used = await web.get(f"/api/auth/reset-password/{token}", params={"callbackURL": page})
    assert used.headers["location"] == page + "?error=INVALID_TOKEN"
    evil = await web.get(
        f"/api/auth/reset-password/{token}", params={"callbackURL": "https://evil.test/"}
    )
    assert (evil.status_code, evil.json()["code"]) == (400, "VALIDATION_ERROR")
