"""Single-use secrets under contention: of 50 parallel redemptions of a link exactly one wins
(K2, T3.6); of 20 parallel guesses at an emailed code at most three are compared (T3.7)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import replace

import pytest

from esensi.models.auth import AuthVerification
from rlib import DatabaseConfig
from rlib.auth.sessions import hash_token, new_token
from rlib.auth.tokens import PASSWORD_RESET
from rlib.config import RateRule
from rlib.db.engine import Database


@pytest.mark.slow
async def test_fifty_parallel_resets_with_one_token_succeed_once(live, backend, migrated_urls):
    client, kit, user = live
    token = new_token()
    database = Database(DatabaseConfig(url=migrated_urls[backend]))
    try:
        async with database.sessionmaker() as db:
            db.add(
                AuthVerification(
                    purpose=PASSWORD_RESET,
                    identifier=user.email,
                    id_user=user.id,
                    value_hash=hash_token(token),
                    expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
                )
            )
            await db.commit()
    finally:
        await database.dispose()
    bodies = [{"token": token, "newPassword": f"sandi-baru-nomor-{n:02d}"} for n in range(50)]
    responses = await asyncio.gather(
        *(client.post("/api/auth/reset-password", json=body) for body in bodies)
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [400] * 49
    winner = bodies[next(i for i, r in enumerate(responses) if r.status_code == 200)]
    signed = await client.post(
        "/api/auth/sign-in/email", json={"email": user.email, "password": winner["newPassword"]}
    )
    assert signed.status_code == 200
    assert len(kit.mailer.sent) == 1


@pytest.mark.slow
async def test_twenty_parallel_wrong_codes_are_compared_three_times(live):
    client, kit, user = live
    # Lift the sign-in throttle so every guess reaches the code check: the attempt
    # reservation alone must hold the line.
    roomy = RateRule(100, 300)
    throttles = replace(kit.config.throttles, sign_in_account=roomy, sign_in_ip=roomy)
    kit.config = replace(kit.config, throttles=throttles)
    send = {"email": user.email, "type": "sign-in"}
    assert (
        await client.post("/api/auth/email-otp/send-verification-otp", json=send)
    ).status_code == 200
    code = kit.mailer.last("otp-code", user.email).context["otp"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    guesses = [{"email": user.email, "otp": wrong} for _ in range(20)]
    responses = await asyncio.gather(
        *(client.post("/api/auth/sign-in/email-otp", json=body) for body in guesses)
    )
    assert sorted(r.status_code for r in responses) == [400] * 20
    assert kit.codes.comparisons == 3
    right = await client.post(
        "/api/auth/sign-in/email-otp", json={"email": user.email, "otp": code}
    )
    assert right.status_code == 400
    assert kit.codes.comparisons == 3
