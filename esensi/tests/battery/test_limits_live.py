"""The battery's limits (security.md section 9, 11 and 16 T2.1, T2.2; issue 19 deliverable 4),
against a real ``esensi serve`` on 127.0.0.1, once per database.

Each refusal is timed on the wire from the moment the server could know (the head with its
declared length, the byte that crossed the limit, the end of a timeout) to the first byte of its
answer; the server's RSS is read from /proc before and after. The sign-in storm runs while a
separate process probes ``/api/health`` and a list route, so the probe's latency is the server's,
not this test's event loop.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from battery_support import Battery, sized
from limits_http import bodies, heads, queries, record_slow_loris, shapes, slow_loris, upload
from limits_live import (
    BODY_TIMEOUT_S,
    LIST,
    REQUESTS_MIB,
    RSS_GROWTH_MIB,
    Live,
    rss_mib,
    stop_watch,
    watch_rss,
)
from limits_sockets import catch_up_flood, frame_flood, sockets
from notify_live import BACKENDS, bearer, launch, make_logins, server_env

from conftest_helpers import empty_database_at
from rlib.auth.hashing import default_permits

pytestmark = [pytest.mark.battery, pytest.mark.slow, pytest.mark.xdist_group("battery_limits")]


@pytest.fixture(scope="module", params=BACKENDS)
def live(request, migrated_urls, tmp_path_factory) -> Iterator[Live]:
    url = migrated_urls[request.param]
    env = server_env(
        url,
        redis_url=None,
        channel=f"l_{uuid.uuid4().hex}",
        limits__body_timeout_s=str(BODY_TIMEOUT_S),
        pool__size="8",  # the production pool, not the test servers' small one
        pool__max_overflow="4",
    )
    server = launch(env, tmp_path_factory.mktemp("limits"), workers=1)  # ``esensi serve``
    try:
        [staff] = asyncio.run(make_logins(url, staff=True))
        users = asyncio.run(make_logins(url, 4))
        yield Live(server, url, staff, users)
    finally:
        server.stop()
        asyncio.run(empty_database_at(url))  # its 200 failed sign-ins throttle 127.0.0.1


# --- L1..L14: oversized, deep, huge, long, slow --------------------------------------------


async def test_limits_on_the_wire(live: Live, battery: Battery):
    rounds = sized(ci=1, report=8)  # report: the same abuse again and again, for the RSS line
    silent = Battery(None)  # asserts, writes no line
    live.baseline_rss = rss_mib(live.server.process.pid)
    token = bearer(live.staff)["Authorization"]
    # The slow-loris clients (2 bytes/s, 10 s) dribble while the rest runs.
    slow = asyncio.create_task(slow_loris(live))
    for round_ in range(rounds):
        # Earlier rounds assert without writing lines: the report shows the last round's.
        sink = battery if round_ == rounds - 1 else silent
        await bodies(live, sink, token)
        await shapes(live, sink, token)
        await queries(live, sink)
        await heads(live, sink)
        await sockets(live, sink)
        await frame_flood(live, sink)
        await catch_up_flood(live, sink)
        await upload(live, sink)
    record_slow_loris(battery, *await slow)
    grown = rss_mib(live.server.process.pid) - live.baseline_rss
    battery.check(
        "L14",
        f"server RSS growth over {rounds} round(s) of L1-L13, L18, L19 (MiB)",
        f"< {RSS_GROWTH_MIB:.0f}",
        f"{grown:.1f}",
        grown < RSS_GROWTH_MIB,
    )


# --- L15..L17: a sign-in storm beside a health probe ----------------------------------------

PROBE = r"""
import json, sys, threading, time
import httpx

base, paths = sys.argv[1], sys.argv[2:]
phase = ["calm"]
latencies = {"calm": {p: [] for p in paths}, "storm": {p: [] for p in paths}}
statuses = {}

def control():
    for line in sys.stdin:
        phase[0] = line.strip()

threading.Thread(target=control, daemon=True).start()
with httpx.Client(base_url=base, timeout=10) as client:
    client.get(paths[0])
    print("ready", flush=True)
    while phase[0] != "stop":
        for path in paths:
            current = phase[0]
            started = time.perf_counter()
            status = client.get(path).status_code
            if current in latencies:
                latencies[current][path].append((time.perf_counter() - started) * 1000)
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        time.sleep(0.005)
print(json.dumps({"latencies": latencies, "statuses": statuses}), flush=True)
"""


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def test_sign_in_storm_does_not_stall_the_health_probe(live: Live, battery: Battery):
    storms = sized(ci=1, report=3)  # report: three storms, 5 s apart
    calm_s = sized(ci=2, report=5)
    probe = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        PROBE,
        live.server.http,
        "/api/health",
        LIST,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert probe.stdin is not None
    assert probe.stdout is not None
    statuses: dict[int, int] = {}
    pid = live.server.process.pid
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=live.server.http, timeout=60, limits=limits) as client:
        # The base: the server after 200 concurrent sign-ins that never reach the throttle or
        # argon2 (no password: 400), so L17 weighs what hashing adds, not 200 requests in flight.
        malformed = [client.post("/api/auth/sign-in/email", json={}) for _ in range(200)]
        assert {answer.status_code for answer in await asyncio.gather(*malformed)} == {400}
    base_rss = rss_mib(pid)
    peak_rss = base_rss
    storm_s = 0.0
    try:
        assert (await asyncio.wait_for(probe.stdout.readline(), 30)).strip() == b"ready"
        await asyncio.sleep(calm_s)
        probe.stdin.write(b"storm\n")
        await probe.stdin.drain()
        async with httpx.AsyncClient(
            base_url=live.server.http, timeout=60, limits=limits
        ) as client:
            for round_ in range(storms):
                started = time.monotonic()
                wave = [
                    client.post(
                        "/api/auth/sign-in/email",
                        json={"email": live.users[n % 3].email, "password": f"salah-{n}"},
                    )
                    for n in range(200)
                ]
                watcher = asyncio.create_task(watch_rss(pid))
                answers = await asyncio.gather(*wave, return_exceptions=True)
                peak_rss = max(peak_rss, await stop_watch(watcher))
                storm_s = max(storm_s, time.monotonic() - started)
                for answer in answers:
                    status = answer.status_code if isinstance(answer, httpx.Response) else 0
                    statuses[status] = statuses.get(status, 0) + 1
                if round_ < storms - 1:
                    await asyncio.sleep(5)
        probe.stdin.write(b"stop\n")
        await probe.stdin.drain()
        found = json.loads(await asyncio.wait_for(probe.stdout.readline(), 30))
    finally:
        if probe.returncode is None:
            probe.kill()
        await probe.wait()

    calm, storm = found["latencies"]["calm"], found["latencies"]["storm"]
    probe_errors = sum(n for s, n in found["statuses"].items() if int(s) >= 500)
    everything = storm["/api/health"] + storm[LIST]
    # SQLite has one writer: the storm's 200 throttle upserts serialize on it, and the list's
    # reads wait their turn; the target for a list there is 500 ms. PostgreSQL: security.md's
    # 200 ms in the report (three storms, ~1500 probes); CI's one storm gives ~150 probes, whose
    # p99 is their second slowest on a shared 2-core runner, so CI allows 300 ms.
    list_target = 500 if live.url.startswith("sqlite") else sized(ci=300, report=200)
    battery.check(
        "L15",
        f"probe p99 during 200 concurrent wrong sign-ins: /api/health, {LIST} (calm: both)",
        f"< 200 ms, < {list_target} ms, 0 x 5xx",
        f"{p99(storm['/api/health']):.1f} ms, {p99(storm[LIST]):.1f} ms over "
        f"{len(everything)} probes ({p99(calm['/api/health']):.1f} ms, "
        f"{p99(calm[LIST]):.1f} ms), {probe_errors} x 5xx",
        bool(storm[LIST])
        and p99(storm["/api/health"]) < 200
        and p99(storm[LIST]) < list_target
        and probe_errors == 0,
    )
    refused = sum(n for s, n in statuses.items() if s in (401, 429))
    battery.check(
        "L16",
        f"statuses of {200 * storms} wrong sign-ins (longest wave)",
        "401 or 429 only",
        f"{dict(sorted(statuses.items()))} ({storm_s:.2f} s)",
        refused == 200 * storms,
    )
    # security.md T2.2: base + permits x 19 MiB (argon2id's m; the hasher's own pool of
    # ``permits`` threads keeps one 19 MiB region each), plus the storm's 200 requests through
    # the throttle (measured ~7 MiB; the malformed warm-up above does not reach the throttle).
    permits = default_permits()  # the server's, its ESENSI_AUTH__HASH_PERMITS being unset
    bound = permits * 19 + REQUESTS_MIB
    battery.check(
        "L17",
        f"server RSS peak during the storm over its level after 200 malformed sign-ins "
        f"(MiB; {permits} hash permits x 19 + {REQUESTS_MIB})",
        f"<= {bound}",
        f"{peak_rss - base_rss:.1f}",
        peak_rss - base_rss <= bound,
    )
