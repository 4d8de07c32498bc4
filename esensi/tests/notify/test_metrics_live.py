"""``/metrics`` of a real server: open sockets and bus subscriptions show (ADR h-metrics)."""

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
