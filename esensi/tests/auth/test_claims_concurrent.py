"""Single-use links under contention: of 50 parallel redemptions exactly one wins (K2, T3.6)."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from esensi.models.auth import AuthVerification
from rlib import DatabaseConfig
from rlib.auth.sessions import hash_token, new_token
from rlib.auth.tokens import PASSWORD_RESET
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
