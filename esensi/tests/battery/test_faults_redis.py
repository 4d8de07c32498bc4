"""Redis down or silent (a fault proxy in front of the shared Redis) while notifications are
created and wrong passwords tried (security.md D3, ADR 0004; §16 T8.7).

Notifications are stored before they are published: a bus failure is logged, and the sockets
catch up from the table once the bus is back. Throttle counters fall back to the database
when Redis fails, never open: the 6th failure on an account is still a 429.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from battery_support import Battery, sized
from fault_proxy import FaultProxy
from notify_live import (
    PG_URL,
    REDIS_URL,
    Login,
    Server,
    announce_many,
    launch,
    make_logins,
    next_frame,
    quiet,
    server_env,
    socket_of,
    writers_for,
)
from sqlalchemy import text
from sqlalchemy.engine import make_url

from conftest_helpers import empty_database_at
from factories.logins import PASSWORD
from rlib import DatabaseConfig
from rlib.db.engine import Database

pytestmark = [pytest.mark.battery]

ACCOUNT_LIMIT = 5  # failed sign-ins per account and window (security.md T3.1)


async def test_redis_faults_keep_notifications_and_throttles(
    migrated_urls: dict[str, str], tmp_path: Path, battery: Battery
) -> None:
    db_url = migrated_urls["postgresql" if PG_URL else "sqlite"]
    await empty_database_at(db_url)  # the per-IP sign-in counter of an earlier test must not count
    target = make_url(REDIS_URL)
    async with FaultProxy(target.host or "127.0.0.1", target.port or 6379) as proxy:
        redis_url = f"redis://127.0.0.1:{proxy.port}/{target.database or 0}"
        [staff] = await make_logins(db_url, staff=True)
        env = server_env(db_url, redis_url=redis_url, channel=f"f_{uuid.uuid4().hex}")
        server = await asyncio.to_thread(launch, env, tmp_path)  # one server for both faults
        try:
            for line, fault in (("F4", "down"), ("F5", "blackhole")):
                await _clear_sign_in_counters(db_url)
                await _fault(battery, line, fault, db_url, server, staff, proxy)
        finally:
            server.stop()


async def _fault(
    battery: Battery,
    line: str,
    fault: str,
    db_url: str,
    server: Server,
    staff: Login,
    proxy: FaultProxy,
) -> None:
    # A socket's send queue holds 256 frames (security.md W4): a larger catch-up closes it
    # (1013) and the client resumes by cursor, which this client does not do.
    count = sized(ci=50, report=200)
    [reader] = await make_logins(db_url)
    async with socket_of(server, reader) as ws:
        assert (await next_frame(ws))["action"] == "connected"
        keepalive = asyncio.create_task(_keep_alive(ws))
        await proxy.set_mode(fault)  # type: ignore[arg-type]
        started = time.monotonic()
        await announce_many(
            server, staff, reader.id, count, concurrency=min(4, writers_for(db_url))
        )
        create_s = time.monotonic() - started
        signins, slowest = await _wrong_passwords(server.http, reader.email)
        await proxy.start()
        back = time.monotonic()
        got = await _ids_within(ws, count, 20)
        caught_up = time.monotonic() - back
        extra = await quiet(ws, 1.0)
        keepalive.cancel()

    lost = count - len(set(got))
    duplicates = len(got) - len(set(got)) + len(extra)
    battery.check(
        f"{line}.1",
        f"redis {fault}: notifications created (200) / delivered after",
        f"{count} / {count}",
        f"{count} / {len(set(got))} in {caught_up:.2f} s after Redis is back",
        lost == 0,
    )
    battery.check(
        f"{line}.2", f"redis {fault}: notifications duplicated", "= 0", duplicates, duplicates == 0
    )
    expected = [401] * ACCOUNT_LIMIT + [429] * 2
    battery.check(
        f"{line}.3",
        f"redis {fault}: 7 wrong passwords (DB throttle fallback)",
        "5 x 401, 2 x 429",
        signins,
        signins == expected,
    )
    battery.check(
        f"{line}.4",
        f"redis {fault}: slowest of those sign-ins (s)",
        "<= 2",
        f"{slowest:.2f}",
        slowest <= 2,
    )
    battery.check(
        f"{line}.5",
        f"redis {fault}: s to create {count} notifications, 4 at a time",
        f"<= {count * 0.2:.0f}",
        f"{create_s:.1f}",
        create_s <= count * 0.2,
    )


async def _clear_sign_in_counters(db_url: str) -> None:
    database = Database(DatabaseConfig(url=db_url, pool_size=1))
    try:
        async with database.sessionmaker() as db:
            await db.execute(text("DELETE FROM auth_rate_limit"))
            await db.commit()
    finally:
        await database.dispose()


async def _keep_alive(ws: Any) -> None:
    """Answer for a client that is busy elsewhere: the hub closes a silent socket (1001)."""
    with contextlib.suppress(Exception):
        while True:
            await asyncio.sleep(5)
            await ws.send('{"action": "pong"}')


async def _ids_within(ws: Any, count: int, seconds: float) -> list[int]:
    """Notification ids arriving within ``seconds`` (stops early at ``count``)."""
    ids: list[int] = []
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while len(ids) < count:
                frame = await next_frame(ws, seconds)
                if "notif" in frame:
                    ids.append(int(frame["notif"]["id"]))
    return ids


async def _wrong_passwords(http: str, email: str) -> tuple[list[int], float]:
    statuses, slowest = [], 0.0
    async with httpx.AsyncClient(base_url=http, timeout=30) as client:
        for _ in range(ACCOUNT_LIMIT + 2):
            started = time.monotonic()
            answer = await client.post(
                "/api/auth/sign-in/email", json={"email": email, "password": PASSWORD + "x"}
            )
            slowest = max(slowest, time.monotonic() - started)
            statuses.append(answer.status_code)
    return statuses, slowest
