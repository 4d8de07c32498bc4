"""Pieces of rlib.notify that need no server: token and Origin rules, the wire, the local bus."""

import asyncio
from types import SimpleNamespace

import pytest
from asyncpg.exceptions import InternalClientError
from starlette.datastructures import Headers

from rlib.notify import send
from rlib.notify.bus.base import decode, encode
from rlib.notify.bus.local import LocalBus
from rlib.notify.bus.postgres import MAX_PAYLOAD, PostgresBus, asyncpg_dsn, fit
from rlib.notify.send import Notifier
from rlib.notify.ws import origin_allowed, presented_token


def _headers(**values: str) -> Headers:
    return Headers(raw=[(k.replace("_", "-").encode(), v.encode()) for k, v in values.items()])


def test_the_cookie_wins_over_a_bearer_and_the_query_string_is_never_read():
    both = _headers(cookie="session=from-cookie", authorization="Bearer from-header")
    assert presented_token(both) == ("from-cookie", True)
    assert presented_token(_headers(authorization="Bearer abc")) == ("abc", False)
    assert presented_token(_headers(authorization="Basic abc")) == (None, False)
    assert presented_token(_headers(cookie="__Host-session=s1")) == ("s1", True)
    assert presented_token(_headers()) == (None, False)


@pytest.mark.parametrize(
    ("origin", "cookie", "allowed"),
    [
        ("http://app.test:8000", True, True),  # the host's own origin
        ("https://main.test", True, True),  # configured
        ("https://evil.test", True, False),
        ("https://evil.test", False, False),  # a bearer client that sends one is checked too
        (None, False, True),  # a bearer client without Origin
        (None, True, False),  # a cookie without Origin
    ],
)
def test_origin_rules(origin, cookie, allowed):
    values = {"host": "app.test:8000", **({"origin": origin} if origin else {})}
    scope = {"type": "websocket", "scheme": "ws"}
    assert origin_allowed(scope, _headers(**values), ("https://main.test/",), cookie) is allowed


def test_wss_means_an_https_own_origin():
    headers = _headers(host="app.test", origin="https://app.test")
    assert origin_allowed({"scheme": "wss"}, headers, (), True)
    assert not origin_allowed({"scheme": "ws"}, headers, (), True)


def test_events_round_trip_and_junk_is_refused():
    event = {"k": "upd", "u": "x", "ids": [1, 2], "status": "read"}
    assert decode(encode(event)) == event
    with pytest.raises(ValueError, match="JSON object"):
        decode(b"[1, 2]")


def test_a_notification_too_big_for_notify_travels_as_its_id():
    small = {"k": "new", "u": "x", "n": {"id": 7, "message": "halo"}}
    assert decode(fit(small)) == small
    big = {"k": "new", "u": "x", "n": {"id": 7, "data": {"pad": "y" * MAX_PAYLOAD}}}
    assert decode(fit(big)) == {"k": "fetch", "u": "x", "id": 7}


def test_asyncpg_dsn_drops_the_driver_name():
    url = "postgresql+asyncpg://postgres:pw@127.0.0.1:5432/db"
    assert asyncpg_dsn(url) == "postgresql://postgres:pw@127.0.0.1:5432/db"


async def test_local_buses_share_a_channel_and_only_it():
    heard: dict[str, list[dict[str, object]]] = {"a": [], "b": [], "c": []}

    def hear(name):
        async def on_event(event):
            heard[name].append(event)

        return on_event

    async def nothing():
        return None

    a, b, c = LocalBus("f_one"), LocalBus("f_one"), LocalBus("f_two")
    for name, bus in (("a", a), ("b", b), ("c", c)):
        await bus.start(hear(name), nothing)
    try:
        await a.publish({"k": "rev", "u": "1"})
    finally:
        for bus in (a, b, c):
            await bus.close()
    await b.publish({"k": "rev", "u": "2"})  # closed: nobody hears it
    assert heard == {"a": [{"k": "rev", "u": "1"}], "b": [{"k": "rev", "u": "1"}], "c": []}


class _FlakyBus(LocalBus):
    """Refuses the first ``failures`` publishes (Redis silent), then works."""

    def __init__(self, channel: str, failures: int) -> None:
        super().__init__(channel)
        self.failures = failures

    async def publish(self, event):
        if self.failures:
            self.failures -= 1
            raise TimeoutError("Timeout reading from socket")
        await super().publish(event)


async def test_a_failed_publish_is_followed_by_a_sync_once_the_bus_takes_it(monkeypatch):
    # Battery F5: with Redis silent the publish failed, the subscribers never lost their own
    # connection, and the notifications created meanwhile never reached the open sockets.
    monkeypatch.setattr(send, "SYNC_RETRY_S", 0.01)
    heard: list[dict[str, object]] = []

    async def on_event(event):
        heard.append(event)

    async def nothing():
        return None

    bus = _FlakyBus("f_sync", failures=2)
    notifier = Notifier(SimpleNamespace(__table__=None))
    await bus.start(on_event, nothing)
    notifier.attach(bus)
    try:
        await notifier.publish({"k": "rev", "u": "1"})  # lost: logged, not raised
        await notifier.publish({"k": "rev", "u": "2"})  # covered by the sync: not tried
        assert bus.failures == 1
        for _ in range(100):
            if heard:
                break
            await asyncio.sleep(0.01)
    finally:
        notifier.detach(bus)
        await bus.close()
    assert heard == [{"k": "sync"}]


async def test_the_postgres_listener_survives_a_driver_state_error(monkeypatch):
    # Battery F1: after a PostgreSQL restart the listening connection raised asyncpg's
    # InternalClientError, which ended the listener for good and then failed the shutdown.
    bus = PostgresBus("postgresql+asyncpg://postgres@127.0.0.1:1/none", "f_x", reconnect_s=0.01)
    sessions: list[int] = []

    async def session(on_event, on_reconnect):
        sessions.append(1)
        if len(sessions) == 1:
            raise InternalClientError("cannot switch to state 15; another operation is in progress")
        await asyncio.sleep(3600)

    async def nothing(*_args):
        return None

    monkeypatch.setattr(bus, "_session", session)
    await bus.start(nothing, nothing)
    for _ in range(200):
        if len(sessions) > 1:
            break
        await asyncio.sleep(0.01)
    await bus.close()
    assert len(sessions) == 2
