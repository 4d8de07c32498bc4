"""Emailed six-digit codes: verify an address, sign in (spec/workflows.md 1.4; T3.7)."""

from __future__ import annotations

import re

from auth_helpers import alive, committed_login
from sqlalchemy import select

from esensi.models.auth import AuthUser, AuthVerification

SEND = "/api/auth/email-otp/send-verification-otp"
VERIFY = "/api/auth/email-otp/verify-email"
SIGN_IN = "/api/auth/sign-in/email-otp"
WRONG = "000000"


async def send(web, email: str, kind: str = "sign-in"):
    return await web.post(SEND, json={"email": email, "type": kind})


async def mailed_code(web, mail, email: str, kind: str = "sign-in") -> str:
    response = await send(web, email, kind)
    assert response.status_code == 200, response.text
    sent = mail.last("otp-code", email)
    assert sent.context["use"] == kind
    return sent.context["otp"]


def other(code: str) -> str:
    """A six-digit code that is not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def _verified(database, email: str) -> bool:
    async with database.sessionmaker() as db:
        return bool(await db.scalar(select(AuthUser.email_verified).where(AuthUser.email == email)))


async def test_send_answers_alike_for_unknown_addresses_and_mails_only_known_ones(
    web, mail, database
):
    user = await committed_login(database)
    known = await send(web, user.email.upper())
    unknown = await send(web, "siapa@contoh.id")
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert [m.to for m in mail.sent] == [user.email]
    assert re.fullmatch(r"[0-9]{6}", mail.sent[0].context["otp"])


async def test_code_verifies_the_address_once(web, mail, database):
    user = await committed_login(database)
    code = await mailed_code(web, mail, user.email, "email-verification")
    response = await web.post(VERIFY, json={"email": user.email, "otp": code})
    assert response.status_code == 200, response.text
    assert await _verified(database, user.email)
    replay = await web.post(VERIFY, json={"email": user.email, "otp": code})
    assert replay.status_code == 400
    assert replay.json()["code"] == "INVALID_OTP"


async def test_verification_code_is_not_sent_to_a_verified_address(web, mail, database):
    user = await committed_login(database, email_verified=True)
    assert (await send(web, user.email, "email-verification")).status_code == 200
    assert mail.sent == []


async def test_code_signs_in_and_verifies_the_address(web, mail, database):
    user = await committed_login(database)
    code = await mailed_code(web, mail, user.email)
    response = await web.post(SIGN_IN, json={"email": user.email, "otp": code})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data.keys() == {"token", "user"}  # better-auth's sign-in/email-otp answer
    assert data["user"]["email"] == user.email
    assert await alive(web, data["token"])
    assert await _verified(database, user.email)
    replay = await web.post(SIGN_IN, json={"email": user.email, "otp": code})
    assert replay.status_code == 400


async def test_a_sign_in_code_does_not_verify_the_address(web, mail, database):
    user = await committed_login(database)
    code = await mailed_code(web, mail, user.email, "sign-in")
    response = await web.post(VERIFY, json={"email": user.email, "otp": code})
    assert response.status_code == 400
    assert not await _verified(database, user.email)


async def test_three_wrong_guesses_burn_the_code_and_the_fourth_is_not_compared(
    web, mail, database, kit
):
    user = await committed_login(database)
    code = await mailed_code(web, mail, user.email)
    for _ in range(3):
        wrong = await web.post(SIGN_IN, json={"email": user.email, "otp": other(code)})
        assert wrong.status_code == 400
    compared = kit.codes.comparisons
    right = await web.post(SIGN_IN, json={"email": user.email, "otp": code})
    assert right.status_code == 400
    assert kit.codes.comparisons == compared == 3


async def test_code_expires_after_ten_minutes(web, mail, database, clock):
    user = await committed_login(database)
    code = await mailed_code(web, mail, user.email)
    clock.advance(minutes=10, seconds=1)
    response = await web.post(SIGN_IN, json={"email": user.email, "otp": code})
    assert response.status_code == 400


async def test_code_works_just_before_it_expires(web, mail, database, clock):
    user = await committed_login(database)
    code = await mailed_code(web, mail, user.email)
    clock.advance(minutes=9, seconds=59)
    assert (await web.post(SIGN_IN, json={"email": user.email, "otp": code})).status_code == 200


async def test_a_new_send_replaces_the_pending_code(web, mail, database):
    user = await committed_login(database)
    first = await mailed_code(web, mail, user.email)
    second = await mailed_code(web, mail, user.email)
    if first != second:  # one chance in a million that both draws are equal
        stale = await web.post(SIGN_IN, json={"email": user.email, "otp": first})
        assert stale.status_code == 400
    fresh = await web.post(SIGN_IN, json={"email": user.email, "otp": second})
    assert fresh.status_code == 200


async def test_equal_codes_of_two_addresses_are_stored_apart(web, mail, database):
    one, two = await committed_login(database), await committed_login(database)
    await mailed_code(web, mail, one.email)
    await mailed_code(web, mail, two.email)
    async with database.sessionmaker() as db:
        rows = (
            await db.scalars(
                select(AuthVerification.value_hash).where(
                    AuthVerification.identifier.in_([one.email, two.email])
                )
            )
        ).all()
    codes = {m.context["otp"] for m in mail.sent}
    assert len(set(rows)) == len(rows) == 2
    assert not any(code in digest for digest in rows for code in codes)


async def test_sends_are_throttled_per_address(web, database):
    user = await committed_login(database)
    statuses = [(await send(web, user.email)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = await send(web, user.email)
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["code"] == "TOO_MANY_REQUESTS"


async def test_sends_are_throttled_per_ip(web):
    statuses = [(await send(web, f"orang{n}@contoh.id")).status_code for n in range(21)]
    assert statuses == [200] * 20 + [429]


async def test_wrong_codes_count_as_failed_sign_ins(web, database, clock):
    user = await committed_login(database)
    for _ in range(5):
        response = await web.post(SIGN_IN, json={"email": user.email, "otp": WRONG})
        assert response.status_code == 400
    locked = await web.post(SIGN_IN, json={"email": user.email, "otp": WRONG})
    assert locked.status_code == 429
    password = await web.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": "salah-salah-1"}
    )
    assert password.status_code == 429


async def test_two_factor_user_gets_a_half_session(web, mail, database):
    user = await committed_login(database, two_factor_enabled=True)
    code = await mailed_code(web, mail, user.email)
    response = await web.post(SIGN_IN, json={"email": user.email, "otp": code})
    assert response.status_code == 200, response.text
    assert response.json() == {"twoFactorRedirect": True, "twoFactorMethods": ["totp", "otp"]}
    assert await alive(web, response.headers["set-auth-token"]) is False  # a half-session


async def test_malformed_body_is_a_400(web):
    response = await web.post(SEND, json={"email": "a@contoh.id", "type": "forget-password"})
    assert response.status_code == 400
