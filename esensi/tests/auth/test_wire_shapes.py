"""The bodies of the built-in routes are better-auth's (1.2.x and later), route by route: no
envelope, its field names, its acknowledgements (``{status: true}``, ``{success: true}``)."""

from __future__ import annotations

from auth.conftest import AUTH_ORIGIN
from auth_helpers import call, committed_login, enable_two_factor, sign_in, token_of

from factories.logins import PASSWORD

NEW_PASSWORD = "sandi-baru-yang-panjang-7"


async def test_a_refused_password_says_why_in_the_message(web):
    body = {"name": "Pendek", "email": "pendek@contoh.id", "password": "pendek"}
    refused = await web.post("/api/auth/sign-up/email", json=body)
    assert refused.status_code == 400
    assert refused.json()["code"] == "VALIDATION_ERROR"
    assert refused.json()["message"] == "Minimal 8 karakter"  # the field's own message


async def test_verification_routes(web, mail, database):
    body = {"name": "Baru", "email": "bentuk@contoh.id", "password": "rahasia-sekali-1"}
    signed_up = (await web.post("/api/auth/sign-up/email", json=body)).json()
    assert signed_up["token"] is None
    assert signed_up["user"]["email"] == "bentuk@contoh.id"
    assert signed_up["user"]["emailVerified"] is False
    resend = await web.post("/api/auth/send-verification-email", json={"email": body["email"]})
    assert resend.json() == {"status": True}
    token = token_of(mail.last("email-verification", body["email"]).context["url"])
    verified = await web.get("/api/auth/verify-email", params={"token": token})
    assert verified.json() == {"status": True, "user": None}
    again = await web.get("/api/auth/verify-email", params={"token": token})
    assert (again.status_code, again.json()["code"]) == (400, "INVALID_TOKEN")


async def test_email_otp_routes(web, mail, database):
    user = await committed_login(database, email_verified=False)
    send = {"email": user.email, "type": "email-verification"}
    sent = await web.post("/api/auth/email-otp/send-verification-otp", json=send)
    assert sent.json() == {"success": True}
    code = mail.last("otp-code", user.email).context["otp"]
    body = {"email": user.email, "otp": code}
    verified = (await web.post("/api/auth/email-otp/verify-email", json=body)).json()
    assert (verified["status"], verified["token"]) == (True, None)
    assert verified["user"]["emailVerified"] is True
    await web.post(
        "/api/auth/email-otp/send-verification-otp", json={"email": user.email, "type": "sign-in"}
    )
    wrong = {"email": user.email, "otp": "000000" if code != "000000" else "111111"}
    refused = await web.post("/api/auth/sign-in/email-otp", json=wrong)
    assert (refused.status_code, refused.json()["code"]) == (400, "INVALID_OTP")


async def test_password_and_session_routes(web, mail, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    body = {"currentPassword": PASSWORD, "newPassword": NEW_PASSWORD}
    changed = (await web.post("/api/auth/change-password", json=body)).json()
    assert changed["token"] is None
    assert changed["user"]["id"] == str(user.id)
    listed = (await web.get("/api/auth/list-sessions")).json()
    assert listed[0].keys() >= {"id", "token", "userId", "expiresAt", "createdAt", "updatedAt"}
    assert (await web.post("/api/auth/revoke-other-sessions", json={})).json() == {"status": True}
    assert (await web.post("/api/auth/revoke-sessions", json={})).json() == {"status": True}
    assert (await web.get("/api/auth/get-session")).json() is None
    forgot = await web.post("/api/auth/forget-password", json={"email": "siapa@contoh.id"})
    assert forgot.json() == {"status": True}


async def test_account_routes(web, mail, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    email = await web.post("/api/auth/change-email", json={"newEmail": "pindah@contoh.id"})
    assert email.json() == {"status": True}
    deleting = await web.post("/api/auth/delete-user", json={}, headers={"Accept-Language": "en"})
    assert deleting.json() == {"success": True, "message": "Verification email sent"}
    token = token_of(mail.last("delete-account-confirm", user.email).context["url"])
    deleted = await web.get("/api/auth/delete-user/callback", params={"token": token})
    assert deleted.json() == {"success": True, "message": "Akun telah dihapus"}
    unlinked = await web.post("/api/auth/unlink-account", json={"providerId": "google"})
    assert (unlinked.status_code, unlinked.json()["code"]) == (401, "UNAUTHORIZED")


async def test_two_factor_routes(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    uri = await call(web, "/api/auth/two-factor/get-totp-uri", done.token, {"password": PASSWORD})
    assert list(uri.json()) == ["totpURI"]
    codes = await call(
        web, "/api/auth/two-factor/generate-backup-codes", done.token, {"password": PASSWORD}
    )
    assert codes.json()["status"] is True
    assert len(codes.json()["backupCodes"]) == 10
    sent = await call(web, "/api/auth/two-factor/send-otp", done.token)
    assert sent.json() == {"status": True}
    body = {"password": PASSWORD, "code": codes.json()["backupCodes"][0]}
    off = await call(web, "/api/auth/two-factor/disable", done.token, body)
    assert off.json()["status"] is True
    assert off.headers["set-auth-token"] == off.json()["token"]


async def test_optional_fields_better_auths_clients_send_are_accepted(web, database, clock):
    await committed_login(database, username="bentuk_nama")
    page = AUTH_ORIGIN + "/beranda"
    body = {"username": "bentuk_nama", "password": PASSWORD, "callbackURL": page}
    signed = (await web.post("/api/auth/sign-in/username", json=body)).json()
    assert (signed["redirect"], signed["url"]) == (True, page)
    token = signed["token"]
    enable = {"password": PASSWORD, "issuer": "Lain"}
    setup = await call(web, "/api/auth/two-factor/enable", token, enable)
    assert "issuer=Esensi" in setup.json()["totpURI"]  # the configured issuer, always
    done = await enable_two_factor(web, (await committed_login(database)).email, clock.now)
    backup = {"code": done.backup_codes[0], "disableSession": True, "trustDevice": False}
    used = await call(web, "/api/auth/two-factor/verify-backup-code", done.token, backup)
    assert used.json().keys() == {"token", "user"}
