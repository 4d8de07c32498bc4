"""Pieces of rlib.notify that need no server: token and Origin rules, the wire, the local bus."""

import pytest
from starlette.datastructures import Headers

from rlib.notify.bus.base import decode, encode
from rlib.notify.bus.local import LocalBus
from rlib.notify.bus.postgres import MAX_PAYLOAD, asyncpg_dsn, fit
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
