"""``/metrics`` of a real server: open sockets and bus subscriptions show (ADR h-metrics)."""

import asyncio
import re
import uuid

import httpx
import pytest
from notify_live import BACKENDS, launch, make_logins, next_frame, server_env, socket_of


def gauge(text: str, name: str) -> float:
    found = re.search(rf"^{name}\{{pid=\"\d+\"\}} (\S+)$", text, re.MULTILINE)
    assert found, name
    return float(found[1])


@pytest.fixture(scope="module", params=BACKENDS)
def live_url(request, migrated_urls):
    return migrated_urls[request.param]


@pytest.fixture(scope="module")
def server(live_url, tmp_path_factory):
    env = server_env(live_url, redis_url=None, channel=f"m_{uuid.uuid4().hex}")
    started = launch(env, tmp_path_factory.mktemp("servers"))
    yield started
    started.stop()


async def test_open_sockets_are_counted(server, live_url):
    [reader] = await make_logins(live_url, 1)
    async with httpx.AsyncClient(base_url=server.http) as http:
        before = (await http.get("/metrics")).text
        async with socket_of(server, reader) as ws:
            assert (await next_frame(ws))["action"] == "connected"
            during = (await http.get("/metrics")).text
    assert gauge(before, "ws_connections") == 0
    assert gauge(during, "ws_connections") == 1
    # PostgreSQL LISTEN subscribes once at startup; the in-process bus never reconnects.
    expected = 0 if live_url.startswith("sqlite") else 1
    assert gauge(during, "bus_reconnects") == expected


def _sum(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        found = re.match(rf"^{name}(?:\{{(.*)\}})? (\S+)$", line)
        if found and all(f'{k}="{v}"' in (found[1] or "") for k, v in labels.items()):
            total += float(found[2])
    return total


@pytest.fixture(scope="module")
def two_workers(live_url, tmp_path_factory):
    env = server_env(live_url, redis_url=None, channel=f"m_{uuid.uuid4().hex}")
    env["ESENSI_METRICS__FLUSH_S"] = "0.2"
    started = launch(env, tmp_path_factory.mktemp("servers"), workers=2)
    yield started
    started.stop()


async def test_one_scrape_sums_both_workers(two_workers):
    """N requests over new connections (spread by the kernel) -> one scrape reports N."""
    labels = {"endpoint": "health", "status": "200"}
    base = await _settled(two_workers.http, labels)  # the start-up probes
    count = 60
    for _ in range(count):  # a new connection each: either worker may accept it
        async with httpx.AsyncClient(base_url=two_workers.http) as http:
            assert (await http.get("/api/health")).status_code == 200
    seen = []
    for _ in range(50):  # the other worker's snapshot is at most flush_s old
        async with httpx.AsyncClient(base_url=two_workers.http) as http:
            text = (await http.get("/metrics")).text
        seen.append(_sum(text, "http_requests_total", **labels) - base)
        if seen[-1] == count and gauge_merged(text, "metrics_workers") == 2:
            break
        await asyncio.sleep(0.1)
    assert seen[-1] == count, seen
    # both workers' figures: live, or folded in when uvicorn replaced one that died
    workers = gauge_merged(text, "metrics_workers")
    retired = gauge_merged(text, "metrics_workers_retired")
    assert workers >= 1
    assert workers + retired >= 2, two_workers.log.read_text()[-3000:]
    assert 'pid="' not in text
    assert _sum(text, "http_request_duration_seconds_count", **labels) - base == count


async def _settled(base_url: str, labels: dict[str, str]) -> float:
    """The request count once both workers' snapshots hold their start-up probes: ``launch``
    returns on its first 200, whose worker may not have flushed it yet (CI once counted 61 of
    60 that way). Two scrapes well over ``flush_s`` apart must agree."""
    previous = None
    for _ in range(50):
        async with httpx.AsyncClient(base_url=base_url) as http:
            text = (await http.get("/metrics")).text
        now = _sum(text, "http_requests_total", **labels)
        if now == previous and gauge_merged(text, "metrics_workers") == 2:
            return now
        previous = now
        await asyncio.sleep(0.5)
    raise AssertionError(f"the start-up count never settled: {previous}")


def gauge_merged(text: str, name: str) -> float:
    found = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert found, name
    return float(found[1])
