"""The request head is bounded on the wire: 431 over its size, 408 when it dribbles in, the
connection closed either way; ordinary requests, large bodies and keep-alive are untouched."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import orjson
import pytest
import uvicorn

from rlib import cli
from rlib.serving import GuardedHttpProtocol


class Quick(GuardedHttpProtocol):
    max_head_bytes = 4096
    head_timeout_s = 0.3


async def echo_size(scope, receive, send):
    if scope["type"] != "http":
        return
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    answer = str(size).encode()
    headers = [(b"content-length", str(len(answer)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": answer})


@pytest.fixture
async def port() -> AsyncIterator[int]:
    config = uvicorn.Config(
        echo_size, host="127.0.0.1", port=0, http=Quick, lifespan="off", log_level="error"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    [bound] = server.servers[0].sockets
    yield int(bound.getsockname()[1])
    server.should_exit = True
    await task


async def exchange(port: int, *parts: bytes, pause: float = 0.0) -> bytes:
    """Send ``parts`` (``pause`` seconds apart) and read until the server closes (5 s at most)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for part in parts:
            writer.write(part)
            await writer.drain()
            await asyncio.sleep(pause)
        async with asyncio.timeout(5):
            return await reader.read()
    finally:
        writer.close()


def status_and_body(answer: bytes) -> tuple[int, bytes, bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head.lower(), body


async def test_an_ordinary_request_with_a_large_body_passes(port):
    body = b"x" * 300_000  # one read holds the head and a body larger than the head limit
    answer = await exchange(
        port,
        b"POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body) + body,
    )
    assert status_and_body(answer)[0] == 200
    assert status_and_body(answer)[2] == b"300000"


async def test_a_head_over_the_limit_is_431_and_closed(port):
    answer = await exchange(port, b"GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + b"a" * 5000)
    status, head, body = status_and_body(answer)
    assert status == 431
    assert b"connection: close" in head
    assert orjson.loads(body)["code"] == "headers_too_large"


async def test_many_small_headers_count_together(port):
    answer = await exchange(port, b"GET / HTTP/1.1\r\nHost: a\r\n" + b"X-A: b\r\n" * 1000 + b"\r\n")
    assert status_and_body(answer)[0] == 431


async def test_a_dribbled_head_is_408_and_closed(port):
    started = asyncio.get_running_loop().time()
    answer = await exchange(port, b"GET / HTTP/1.1\r\n", b"Host: a\r\n", pause=0.2)
    elapsed = asyncio.get_running_loop().time() - started
    status, head, body = status_and_body(answer)
    assert status == 408
    assert b"connection: close" in head
    assert orjson.loads(body)["code"] == "request_timeout"
    assert elapsed < 3  # closed by the head timeout, not by the client's read timeout


async def test_a_silent_connection_is_closed(port):
    answer = await exchange(port)
    assert status_and_body(answer)[0] == 408


async def test_keep_alive_requests_each_get_their_own_head_allowance(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(3):
            writer.write(b"GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + b"p" * 3000 + b"\r\n\r\n")
            await writer.drain()
            async with asyncio.timeout(5):
                head = await reader.readuntil(b"\r\n\r\n")
                await reader.readexactly(1)  # the body "0"
            assert head.startswith(b"HTTP/1.1 200")
            await asyncio.sleep(0.2)  # idle between requests is the keep-alive timeout's
    finally:
        writer.close()


async def test_a_slow_app_after_a_complete_head_is_not_cut(port):
    # The head timer stops at the end of the head: a body sent slowly is the app's to bound.
    answer = await exchange(
        port,
        b"POST / HTTP/1.1\r\nHost: a\r\nConnection: close\r\nContent-Length: 2\r\n\r\n",
        b"a",
        b"b",
        pause=0.25,
    )
    assert status_and_body(answer)[0] == 200


def test_serve_bounds_the_head_and_the_websocket_frame(monkeypatch):
    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    cli.serve("app:create", host="127.0.0.1", port=1, workers=1, log_json=True, trusted_proxies=())
    assert seen["http"] is GuardedHttpProtocol
    assert seen["ws_max_size"] == cli.WS_MAX_BYTES  # not uvicorn's 16 MiB
    cli.serve(
        "app:create",
        host="127.0.0.1",
        port=1,
        workers=1,
        log_json=True,
        trusted_proxies=(),
        ws_max_bytes=1000,
    )
    assert seen["ws_max_size"] == 1000
