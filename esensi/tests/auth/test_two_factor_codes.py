"""The other second factors: backup codes and the emailed 2FA code; failed codes are failed
sign-ins (spec/workflows.md 1.5; security.md section 4 and 5)."""

from __future__ import annotations

from auth_helpers import alive, call, committed_login, enable_two_factor, half_session
from sqlalchemy import select

from esensi.models.auth import AuthVerification
from factories.logins import PASSWORD
from rlib.auth.tokens import TWO_FACTOR_OTP
from rlib.auth.totp import code_at, step_at

BACKUP = "/api/auth/two-factor/verify-backup-code"
REGENERATE = "/api/auth/two-factor/generate-backup-codes"
SEND_OTP = "/api/auth/two-factor/send-otp"
VERIFY_OTP = "/api/auth/two-factor/verify-otp"
VERIFY_TOTP = "/api/auth/two-factor/verify-totp"


def other(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_a_backup_code_works_once(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    first, second = done.backup_codes[:2]
    used = await call(web, BACKUP, await half_session(web, user.email), {"code": first})
    assert used.status_code == 200, used.text
    assert await alive(web, used.json()["token"])
    again = await call(web, BACKUP, await half_session(web, user.email), {"code": first})
    assert (again.status_code, again.json()["code"]) == (401, "INVALID_BACKUP_CODE")
    typed = second.upper().replace("-", " ")  # as copied from paper
    assert (
        await call(web, BACKUP, await half_session(web, user.email), {"code": typed})
    ).status_code == 200


async def test_regenerating_backup_codes_invalidates_the_old_ones(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    wrong = await call(web, REGENERATE, done.token, {"password": "salah-salah-1"})
    assert wrong.status_code == 400
    response = await call(web, REGENERATE, done.token, {"password": PASSWORD})
    assert response.status_code == 200, response.text
    fresh = response.json()["backupCodes"]
    assert len(fresh) == 10
    assert not set(fresh) & set(done.backup_codes)
    old = await call(
        web, BACKUP, await half_session(web, user.email), {"code": done.backup_codes[0]}
    )
    assert old.status_code == 401
    new = await call(web, BACKUP, await half_session(web, user.email), {"code": fresh[0]})
    assert new.status_code == 200


async def test_emailed_code_completes_the_second_factor(web, database, mail, clock):
    user = await committed_login(database)
    await enable_two_factor(web, user.email, clock.now)
    half = await half_session(web, user.email)
    sent = await call(web, SEND_OTP, half)
    assert sent.status_code == 200, sent.text
    email = mail.last("otp-code", user.email)
    assert email.context["use"] == "two-factor"
    response = await call(web, VERIFY_OTP, half, {"code": email.context["otp"]})
    assert response.status_code == 200, response.text
    assert not await alive(web, half)
    assert await alive(web, response.json()["token"])
    async with database.sessionmaker() as db:
        row = await db.scalar(
            select(AuthVerification).where(AuthVerification.purpose == TWO_FACTOR_OTP)
        )
    assert row is not None
    assert row.identifier == str(user.id)
    assert row.consumed_at is not None


async def test_emailed_code_burns_after_three_wrong_guesses(web, database, mail, clock, kit):
    user = await committed_login(database)
    await enable_two_factor(web, user.email, clock.now)
    half = await half_session(web, user.email)
    await call(web, SEND_OTP, half)
    code = mail.last("otp-code", user.email).context["otp"]
    before = kit.codes.comparisons
    for _ in range(3):
        assert (await call(web, VERIFY_OTP, half, {"code": other(code)})).status_code == 401
    assert (await call(web, VERIFY_OTP, half, {"code": code})).status_code == 401
    assert kit.codes.comparisons - before == 3


async def test_emailed_code_expires_after_ten_minutes(web, database, mail, clock):
    user = await committed_login(database)
    await enable_two_factor(web, user.email, clock.now)
    half = await half_session(web, user.email)
    await call(web, SEND_OTP, half)
    clock.advance(minutes=10, seconds=1)
    code = mail.last("otp-code", user.email).context["otp"]
    assert (await call(web, VERIFY_OTP, half, {"code": code})).status_code == 401


async def test_send_otp_needs_two_factor_and_is_throttled(web, database, clock):
    plain = await committed_login(database)
    token = (
        await web.post("/api/auth/sign-in/email", json={"email": plain.email, "password": PASSWORD})
    ).json()["token"]
    refused = await call(web, SEND_OTP, token)
    assert (refused.status_code, refused.json()["code"]) == (400, "TWO_FACTOR_NOT_ENABLED")
    user = await committed_login(database)
    await enable_two_factor(web, user.email, clock.now)
    half = await half_session(web, user.email)
    statuses = [(await call(web, SEND_OTP, half)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


async def test_wrong_second_factor_codes_count_as_failed_sign_ins(web, database, clock):
    user = await committed_login(database)
    done = await enable_two_factor(web, user.email, clock.now)
    clock.advance(minutes=1)
    half = await half_session(web, user.email)
    right = code_at(done.secret, step_at(clock.now))
    for path in (VERIFY_TOTP, BACKUP, VERIFY_OTP, VERIFY_TOTP, BACKUP):
        assert (await call(web, path, half, {"code": other(right)})).status_code == 401, path
    locked = await call(web, VERIFY_TOTP, half, {"code": right})
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) >= 1
    clock.advance(minutes=5, seconds=1)
    right = code_at(done.secret, step_at(clock.now))
    assert (await call(web, VERIFY_TOTP, half, {"code": right})).status_code == 200
