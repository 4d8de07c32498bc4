"""Faults of PostgreSQL under a steady write load (security.md D5, D6; §16 T8.1, T8.2).

A private cluster (``private_pg``) is really stopped and started again while checkouts with
``Idempotency-Key`` keep coming; the shared PostgreSQL is never touched.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from battery_support import Battery, sized
from fault_load import (
    HeaderAuth,
    checkout_app,
    drained_after,
    first_success_after,
    make_buyers,
    outcome,
    read_load,
    statuses,
    steady_load,
    without_retry_after,
)
from payment_helpers import standin  # noqa: F401  (fixture)
from private_pg import PrivateCluster, available

from conftest_helpers import empty_database, migrate
from rlib import DatabaseConfig
from rlib.db.engine import Database

pytestmark = [pytest.mark.battery, pytest.mark.postgres]


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    why = available()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a private PostgreSQL cluster: {why}")
        pytest.skip(why)
    made = PrivateCluster()
    try:
        made.init()
        made.start()
        asyncio.run(_create(made))
        migrate(made.url("esensi"))
        yield made
    finally:
        made.destroy()


async def _create(cluster: PrivateCluster) -> None:
    conn = await asyncpg.connect(host="127.0.0.1", port=cluster.port, user="postgres")
    try:
        await conn.execute("CREATE DATABASE esensi")
    finally:
        await conn.close()


@pytest.fixture
async def private_db(cluster: PrivateCluster) -> AsyncIterator[Database]:
    """The private cluster's migrated database, emptied (a restart needs the cluster up)."""
    cluster.start_if_stopped()
    database = Database(DatabaseConfig(url=cluster.url("esensi"), pool_size=2))
    try:
        await empty_database(database)
        yield database
    finally:
        await database.dispose()


@pytest.mark.parametrize(
    ("line", "mode"), [("F1", "fast"), ("F2", "immediate")], ids=["restart", "crash"]
)
async def test_postgres_restarted_under_write_load(
    line: str,
    mode: str,
    cluster: PrivateCluster,
    private_db: Database,
    standin,  # noqa: F811
    battery: Battery,
) -> None:
    rate = sized(ci=10, report=20)
    seconds = sized(ci=12, report=40)
    outage_at = sized(ci=2, report=15)
    down_s = sized(ci=2, report=10)
    auth = HeaderAuth()
    writes = await make_buyers(private_db, auth, rate * seconds)
    async with checkout_app(cluster.url("esensi"), standin, auth) as client:
        deadline = time.monotonic() + seconds + down_s + 40
        load = asyncio.create_task(steady_load(client, writes, rate, deadline))
        await asyncio.sleep(outage_at)
        await asyncio.to_thread(cluster.stop, mode)
        down = time.monotonic()  # stopped: every request from now on meets no server
        await asyncio.sleep(down_s)
        restarting = time.monotonic()
        await asyncio.to_thread(cluster.start)
        back = time.monotonic()  # accepting connections
        await load
    found = await outcome(cluster.url("esensi"), writes)
    seen = statuses(writes, down, restarting)
    first = first_success_after(writes, back)
    draining = statuses(writes, back, time.monotonic())
    drained = drained_after(writes, back)

    battery.check(
        f"{line}.1", f"pg stop -m {mode}: acknowledged writes lost", "= 0",
        f"{found.lost} of {found.acknowledged}", found.lost == 0,
    )  # fmt: skip
    battery.check(
        f"{line}.2",
        f"pg stop -m {mode}: duplicate writes",
        "= 0",
        found.duplicates,
        found.duplicates == 0,
    )
    battery.check(
        f"{line}.3",
        f"pg stop -m {mode}: writes never acknowledged",
        "= 0",
        f"{found.unacknowledged} of {len(writes)}",
        found.unacknowledged == 0,
    )
    battery.check(
        f"{line}.4",
        f"pg stop -m {mode}: statuses while down",
        "503 only",
        dict(sorted(seen.items())),
        set(seen) <= {503} and 503 in seen,
    )
    missing = without_retry_after(writes)
    battery.check(
        f"{line}.5", f"pg stop -m {mode}: 503 without Retry-After", "= 0", missing, missing == 0
    )
    battery.check(
        f"{line}.6",
        f"pg stop -m {mode}: s to first success once back",
        "<= 5",
        "none" if first is None else f"{first:.2f}",
        first is not None and first <= 5,
    )
    # The outage leaves down_s x rate writers retrying at once on top of the steady rate; the
    # app sheds what its pool cannot take (503 + Retry-After). The backlog must be gone within
    # as long as the outage lasted (at least 5 s).
    limit = max(down_s, 5)
    battery.check(
        f"{line}.7",
        f"pg stop -m {mode}: s from back until the backlog of {down_s * rate} is drained",
        f"<= {limit}",
        f"{drained:.2f}",
        drained <= limit,
    )
    shed = dict(sorted((k, v) for k, v in draining.items() if k != 200))
    battery.check(
        f"{line}.8",
        f"pg stop -m {mode}: non-200 once back (load shed while draining)",
        "503 with Retry-After only (no 409: no claim left behind)",
        shed or 0,
        set(shed) <= {503} and without_retry_after(writes, (409, 503)) == 0,
    )


async def _terminate(cluster: PrivateCluster) -> int:
    """``pg_terminate_backend`` of every other connection to the app's database."""
    conn = await asyncpg.connect(host="127.0.0.1", port=cluster.port, user="postgres")
    try:
        return int(
            await conn.fetchval(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = 'esensi' AND pid <> pg_backend_pid()"
            )
        )
    finally:
        await conn.close()


async def test_app_connections_terminated_under_load(
    cluster: PrivateCluster,
    private_db: Database,
    standin,  # noqa: F811
    battery: Battery,
) -> None:
    rate = sized(ci=10, report=20)
    seconds = sized(ci=5, report=20)
    every = sized(ci=1, report=5)
    auth = HeaderAuth()
    writes = await make_buyers(private_db, auth, rate * seconds)
    await private_db.dispose()  # only the app's connections remain
    killed = 0
    async with checkout_app(cluster.url("esensi"), standin, auth) as client:
        start = time.monotonic()
        deadline = start + seconds + 15
        load = asyncio.create_task(steady_load(client, writes, rate, deadline))
        reads = asyncio.create_task(read_load(client, writes, start + seconds))
        rounds = 0
        while time.monotonic() < start + seconds - every:
            await asyncio.sleep(every)
            killed += await _terminate(cluster)
            rounds += 1
        last_kill = time.monotonic()
        await asyncio.sleep(1)
        probe = [await client.get("/cart", headers={"X-Battery-User": w.user}) for w in writes[:5]]
        await load
        read_answers = await reads
    found = await outcome(cluster.url("esensi"), writes)
    answers = [a for w in writes for a in w.answers] + read_answers
    seen = Counter(a.status for a in answers)
    errors = sum(n for status, n in seen.items() if status != 200)
    late = [a.status for a in answers if a.sent > last_kill + 1 and a.status != 200]

    battery.check(
        "F3.1",
        f"pg_terminate_backend x{rounds}: errors <= connections killed",
        f"<= {killed}",
        f"{errors} ({dict(sorted(seen.items()))})",
        errors <= killed,
    )
    battery.check(
        "F3.2", "pg_terminate_backend: 500 answers", "= 0", seen.get(500, 0), 500 not in seen
    )
    battery.check(
        "F3.3",
        "pg_terminate_backend: lost / duplicate / unacknowledged writes",
        "0 / 0 / 0",
        f"{found.lost} / {found.duplicates} / {found.unacknowledged}",
        (found.lost, found.duplicates, found.unacknowledged) == (0, 0, 0),
    )
    healthy = [r.status_code for r in probe]
    battery.check(
        "F3.4",
        "pg_terminate_backend: errors 1 s after the last kill",
        "= 0",
        len(late) + sum(1 for s in healthy if s != 200),
        not late and healthy == [200] * len(probe),
    )
