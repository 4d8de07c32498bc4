"""TOTP two-factor: enable, sign in through the half-session, drift window, replay, disable
(spec/workflows.md 1.5; security.md S4, S6, S7, T3.16)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from auth_helpers import (
    alive,
    call,
    committed_login,
    enable_two_factor,
    half_session,
    sign_in,
    totp_secret,
)
from sqlalchemy import select

from esensi.models.auth import AuthTwoFactor, AuthUser
from factories.logins import PASSWORD
from rlib.auth.kit import secret_box
from rlib.auth.totp import code_at, step_at

ENABLE = "/api/auth/two-factor/enable"
VERIFY_TOTP = "/api/auth/two-factor/verify-totp"
DISABLE = "/api/auth/two-factor/disable"
TOTP_URI = "/api/auth/two-factor/get-totp-uri"


async def _row(database, user) -> AuthTwoFactor | None:
    async with database.sessionmaker() as db:
        return await db.scalar(select(AuthTwoFactor).where(AuthTwoFactor.id_user == user.id))


async def _enabled(database, user) -> bool:
    async with database.sessionmaker() as db:
        return bool(
            await db.scalar(select(AuthUser.two_factor_enabled).where(AuthUser.id == user.id))
        )


async def test_enable_shows_secret_uri_and_backup_codes_once_and_waits_for_a_code(web, database):
    user = await committed_login(database)
    token = await sign_in(web, user.email)
    response = await call(web, ENABLE, token, {"password": PASSWORD})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"  # it carries the secret
    data = response.json()
    uri = urlsplit(data["totpURI"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert data.keys() == {
        "totpURI",
        "backupCodes",
    }  # better-auth's shape: the secret is in the URI
    assert len(totp_secret(data["totpURI"])) >= 32
    assert parse_qs(uri.query)["issuer"] == ["Esensi Online"]
    assert len(data["backupCodes"]) == 10
    assert all(len(code.replace("-", "")) == 10 for code in data["backupCodes"])
    assert not await _enabled(database, user)


async def test_first_code_turns_two_factor_on_rotates_and_revokes_other_sessions(
    web, database, mail, clock
):
    user = await committed_login(database)
    other = await sign_in(web, user.email)
    token = await sign_in(web, user.email)
    setup = (await call(web, ENABLE, token, {"password": PASSWORD})).json()
    code = code_at(totp_secret(setup["totpURI"]), step_at(clock.now))
    response = await call(web, VERIFY_TOTP, token, {"code": code})
    assert response.status_code == 200, response.text
    new_token = response.json()["token"]
    assert new_token != token
    assert response.json()["user"]["twoFactorEnabled"] is True
    assert await _enabled(database, user)
    assert not await alive(web, token)
    assert not await alive(web, other)
    assert await alive(web, new_token)
    assert mail.last("two-factor-enabled", user.email).context["name"] == user.name


async def test_enable_needs_a_fresh_sign_in_and_the_password(web, database, clock):
    user = await committed_login(database)
    token = await sign_in(web, user.email)
    wrong = await call(web, ENABLE, token, {"password": "salah-salah-1"})
    assert (wrong.status_code, wrong.json()["code"]) == (400, "INVALID_PASSWORD")
    clock.advance(minutes=5, seconds=1)
    stale = await call(web, ENABLE, token, {"password": PASSWORD})
    assert (stale.status_code, stale.json()["code"]) == (403, "SESSION_EXPIRED")


async def test_enable_twice_is_a_conflict(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    again = await call(web, ENABLE, done.token, {"password": PASSWORD})
    assert (again.status_code, again.json()["code"]) == (409, "TWO_FACTOR_ENABLED")


async def test_half_session_reaches_only_the_two_factor_routes_until_verified(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    clock.advance(minutes=2)
    half = await half_session(web, user.email)
    for path in ("/api/auth/list-sessions", "/api/auth/role-check", ENABLE):
        method = "GET" if path.endswith("list-sessions") else "POST"
        web.cookies.clear()
        blocked = await web.request(
            method,
            path,
            json={} if method == "POST" else None,
            headers={"authorization": f"Bearer {half}"},
        )
        assert blocked.status_code == 401, path
    code = code_at(done.secret, step_at(clock.now))
    verified = await call(web, VERIFY_TOTP, half, {"code": code})
    assert verified.status_code == 200, verified.text
    full = verified.json()["token"]
    assert full != half
    assert not await alive(web, half)
    web.cookies.clear()
    sessions = await web.get("/api/auth/list-sessions", headers={"authorization": f"Bearer {full}"})
    assert sessions.status_code == 200


async def test_a_used_step_cannot_be_replayed(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    clock.advance(minutes=2)
    code = code_at(done.secret, step_at(clock.now))
    first = await call(web, VERIFY_TOTP, await half_session(web, user.email), {"code": code})
    assert first.status_code == 200
    replay = await call(web, VERIFY_TOTP, await half_session(web, user.email), {"code": code})
    assert (replay.status_code, replay.json()["code"]) == (401, "INVALID_CODE")
    clock.advance(seconds=30)
    later = code_at(done.secret, step_at(clock.now))
    assert (
        await call(web, VERIFY_TOTP, await half_session(web, user.email), {"code": later})
    ).status_code == 200


async def test_one_step_of_drift_is_accepted_two_are_refused(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    clock.advance(minutes=5)
    now = step_at(clock.now)
    for step, status in ((now - 2, 401), (now + 2, 401), (now - 1, 200), (now + 1, 200)):
        half = await half_session(web, user.email)
        response = await call(web, VERIFY_TOTP, half, {"code": code_at(done.secret, step)})
        assert response.status_code == status, (step - now, response.text)


async def test_get_totp_uri_needs_the_password(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    wrong = await call(web, TOTP_URI, done.token, {"password": "salah-salah-1"})
    assert wrong.status_code == 400
    right = await call(web, TOTP_URI, done.token, {"password": PASSWORD})
    assert right.headers["cache-control"] == "no-store"
    assert parse_qs(urlsplit(right.json()["totpURI"]).query)["secret"] == [done.secret]


async def test_secret_and_backup_codes_are_not_stored_readable(web, database, clock, settings):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    row = await _row(database, user)
    assert row is not None
    assert done.secret not in row.secret
    stored = " ".join(row.backup_codes)
    assert not any(code.replace("-", "") in stored for code in done.backup_codes)
    key = settings.auth.secret_key.get_secret_value()
    assert secret_box(key).open(row.secret, owner=str(user.id)) == done.secret
    web.cookies.clear()
    session = await web.get(
        "/api/auth/get-session", headers={"authorization": f"Bearer {done.token}"}
    )
    assert done.secret not in session.text


async def test_disable_needs_password_and_code_and_revokes_other_sessions(
    web, database, mail, clock
):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    clock.advance(minutes=1)
    code = code_at(done.secret, step_at(clock.now))
    other = (
        await call(web, VERIFY_TOTP, await half_session(web, user.email), {"code": code})
    ).json()["token"]
    clock.advance(seconds=30)
    code = code_at(done.secret, step_at(clock.now))
    no_password = await call(web, DISABLE, done.token, {"password": "salah-salah-1", "code": code})
    assert (no_password.status_code, no_password.json()["code"]) == (400, "INVALID_PASSWORD")
    no_code = await call(web, DISABLE, done.token, {"password": PASSWORD, "code": "123456"})
    assert (no_code.status_code, no_code.json()["code"]) == (401, "INVALID_CODE")
    assert (await call(web, DISABLE, done.token, {"password": PASSWORD})).status_code == 400
    response = await call(web, DISABLE, done.token, {"password": PASSWORD, "code": code})
    assert response.status_code == 200, response.text
    rotated = response.json()["token"]
    assert not await _enabled(database, user)
    assert await _row(database, user) is None
    assert not await alive(web, other)
    assert not await alive(web, done.token)
    assert await alive(web, rotated)
    assert mail.last("two-factor-disabled", user.email).context["name"] == user.name
    signed = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": PASSWORD}
    )
    assert "twoFactorRedirect" not in signed.json()
    assert signed.json()["user"]["twoFactorEnabled"] is False


async def test_disable_needs_a_fresh_sign_in(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    clock.advance(minutes=5, seconds=1)
    code = code_at(done.secret, step_at(clock.now))
    stale = await call(web, DISABLE, done.token, {"password": PASSWORD, "code": code})
    assert (stale.status_code, stale.json()["code"]) == (403, "SESSION_EXPIRED")


async def test_verify_without_two_factor_is_a_400(web, database):
    user = await committed_login(database)
    token = await sign_in(web, user.email)
    response = await call(web, VERIFY_TOTP, token, {"code": "123456"})
    assert (response.status_code, response.json()["code"]) == (400, "TWO_FACTOR_NOT_ENABLED")


async def test_a_secret_sealed_under_another_app_key_fails_like_a_wrong_code(web, database, clock):
    # The TOTP secret no longer opens (the app secret changed since enrolment): TOTP fails
    # like a wrong code instead of a 500, and another second factor still lets the owner in.
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    async with database.sessionmaker() as db:
        row = await db.scalar(select(AuthTwoFactor).where(AuthTwoFactor.id_user == user.id))
        assert row is not None
        row.secret = secret_box("another-app-secret").seal(done.secret, owner=str(user.id))
        await db.commit()
    clock.advance(minutes=2)
    code = code_at(done.secret, step_at(clock.now))
    response = await call(web, VERIFY_TOTP, await half_session(web, user.email), {"code": code})
    assert (response.status_code, response.json()["code"]) == (401, "INVALID_CODE")
    backup = await call(
        web,
        "/api/auth/two-factor/verify-backup-code",
        await half_session(web, user.email),
        {"code": done.backup_codes[0]},
    )
    assert backup.status_code == 200, backup.text
    uri = await call(web, TOTP_URI, backup.json()["token"], {"password": PASSWORD})
    assert (uri.status_code, uri.json()["code"]) == (400, "TWO_FACTOR_NOT_ENABLED")
