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
import base64
import contextlib
import json
import os
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from battery_support import Battery, sized
from notify_live import BACKENDS, Login, Server, bearer, launch, make_logins, server_env, socket_of
from websockets.exceptions import ConnectionClosed

from conftest_helpers import empty_database_at
from rlib.auth.hashing import default_permits

pytestmark = [pytest.mark.battery, pytest.mark.slow, pytest.mark.xdist_group("battery_limits")]

MIB = 1024 * 1024
BODY_LIMIT = MIB  # the default of ESENSI_LIMITS__MAX_BODY_BYTES
QUERY_LIMIT = 8 * 1024
HEAD_LIMIT = 64 * 1024  # rlib.serving.MAX_HEAD_BYTES
HEAD_TIMEOUT_S = 10.0  # rlib.serving.HEAD_TIMEOUT_S
BODY_TIMEOUT_S = 2.0  # shortened for the battery (30 s in production)
FRAME_LIMIT = 4096
SOCKETS_PER_USER = 20
AVATAR_LIMIT = 5 * MIB
DETECTION_MS = 100.0  # security.md T2.1: answered within 100 ms of detection
RSS_GROWTH_MIB = 50.0
REQUESTS_MIB = 16  # L17: 200 sign-ins in flight, beside the hashes
LIST = "/chapter/browse"  # a public list, 200 on an empty database
BULK = "/api/internal/customer/bulk-restore"


def rss_mib(pid: int) -> float:
    """The resident set of ``pid`` in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")


@dataclass
class Live:
    server: Server
    url: str
    staff: Login
    users: list[Login]
    baseline_rss: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.port


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


# --- a raw HTTP/1.1 connection, timed ----------------------------------------------------


@dataclass
class Answer:
    status: int
    head: bytes
    body: bytes
    at: float  # monotonic time of the first byte
    closed: bool

    def json(self) -> dict[str, object]:
        return dict(json.loads(self.body))


class Raw:
    """One TCP connection speaking HTTP/1.1 by hand (what no client library would send)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Raw:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=4 * MIB)
        return cls(reader, writer)

    async def send(self, data: bytes) -> float:
        """Write ``data``; the monotonic time it was handed to the kernel."""
        self.writer.write(data)
        with contextlib.suppress(ConnectionError):
            await self.writer.drain()
        return time.monotonic()

    async def answer(self, timeout: float = 30.0) -> Answer:
        async with asyncio.timeout(timeout):
            first = await self.reader.read(1)
            at = time.monotonic()
            assert first, "closed without an answer"
            head = first + await self.reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.lower().split(b"\r\n"):
                if line.startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = await self.reader.readexactly(length)
        closed = b"connection: close" in head.lower() and await self.eof(2.0)
        return Answer(int(head.split(b" ", 2)[1]), head, body, at, closed)

    async def eof(self, timeout: float) -> bool:
        """True once the server closes the connection within ``timeout``."""
        try:
            async with asyncio.timeout(timeout):
                while await self.reader.read(65536):
                    pass
            return True
        except TimeoutError:
            return False
        except ConnectionError:
            return True

    def close(self) -> None:
        self.writer.close()


def head(method: str, target: str, *lines: str) -> bytes:
    return (
        "\r\n".join([f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", *lines]) + "\r\n\r\n"
    ).encode()


async def timed(port: int, *parts: bytes, pause: float = 0.0) -> tuple[Answer, float]:
    """Send ``parts``; the answer and the milliseconds from the last part to its first byte."""
    raw = await Raw.open(port)
    try:
        sent = 0.0
        for part in parts:
            sent = await raw.send(part)
            await asyncio.sleep(pause)
        answer = await raw.answer()
        return answer, (answer.at - sent) * 1000
    finally:
        raw.close()


def worst(values: list[float]) -> str:
    return f"{max(values):.1f} ms"


# --- L1..L14: oversized, deep, huge, long, slow --------------------------------------------


async def test_limits_on_the_wire(live: Live, battery: Battery):
    rounds = sized(ci=1, report=8)  # report: the same abuse again and again, for the RSS line
    silent = Battery(None)  # asserts, writes no line
    live.baseline_rss = rss_mib(live.server.process.pid)
    token = bearer(live.staff)["Authorization"]
    # The slow-loris clients (2 bytes/s, 10 s) dribble while the rest runs.
    slow = asyncio.create_task(_slow_loris(live))
    for round_ in range(rounds):
        # Earlier rounds assert without writing lines: the report shows the last round's.
        sink = battery if round_ == rounds - 1 else silent
        await _bodies(live, sink, token)
        await _shapes(live, sink, token)
        await _queries(live, sink)
        await _heads(live, sink)
        await _sockets(live, sink)
        await _frame_flood(live, sink)
        await _catch_up_flood(live, sink)
        await _upload(live, sink)
    _record_slow_loris(battery, *await slow)
    grown = rss_mib(live.server.process.pid) - live.baseline_rss
    battery.check(
        "L14",
        f"server RSS growth over {rounds} round(s) of L1-L13, L18, L19 (MiB)",
        f"< {RSS_GROWTH_MIB:.0f}",
        f"{grown:.1f}",
        grown < RSS_GROWTH_MIB,
    )


async def _bodies(live: Live, battery: Battery, token: str) -> None:
    sign_in = "/api/auth/sign-in/email"
    json_head = ["Content-Type: application/json", f"Authorization: {token}"]

    # L1: the declared length alone is over: refused before a body byte is sent.
    declared, declared_ms = await timed(
        live.port, head("POST", sign_in, *json_head, f"Content-Length: {BODY_LIMIT + 1}")
    )
    battery.check(
        "L1",
        "declared Content-Length 1 MiB + 1: status, ms after the head",
        f"413, <= {DETECTION_MS:.0f} ms",
        f"{declared.status}, {declared_ms:.1f} ms",
        declared.status == 413 and declared_ms <= DETECTION_MS,
    )

    # L2: chunked, no length: refused on the chunk that crosses the limit.
    raw = await Raw.open(live.port)
    try:
        await raw.send(head("POST", sign_in, *json_head, "Transfer-Encoding: chunked"))
        chunk = 64 * 1024
        for _ in range(BODY_LIMIT // chunk):  # exactly the limit: still accepted
            await raw.send(b"%x\r\n" % chunk + b" " * chunk + b"\r\n")
        await asyncio.sleep(0.3)  # the server has read it all: the next byte is the detection
        crossed = await raw.send(b"1\r\n \r\n")
        chunked = await raw.answer()
    finally:
        raw.close()
    chunked_ms = (chunked.at - crossed) * 1000
    battery.check(
        "L2",
        "chunked body 1 MiB + 1: status, ms after the crossing chunk",
        f"413, <= {DETECTION_MS:.0f} ms",
        f"{chunked.status}, {chunked_ms:.1f} ms",
        chunked.status == 413 and chunked_ms <= DETECTION_MS,
    )

    # L3: declares 2 bytes, sends 2 MiB: the server takes 2 bytes of body; the rest is a
    # malformed next request, refused (uvicorn's 400) and the connection closed.
    raw = await Raw.open(live.port)
    try:
        sent = await raw.send(
            head("POST", sign_in, *json_head, "Content-Length: 2") + b"{}" + b"x" * (2 * MIB)
        )
        answers = [await raw.answer()]
        with contextlib.suppress(AssertionError, ConnectionError, asyncio.IncompleteReadError):
            answers.append(await raw.answer(timeout=5))
        closed = await raw.eof(5.0)
    finally:
        raw.close()
    longer_ms = (time.monotonic() - sent) * 1000
    statuses = [answer.status for answer in answers]
    battery.check(
        "L3",
        "Content-Length 2, 2 MiB sent: statuses, closed, ms to the close",
        "4xx only, closed",
        f"{statuses}, closed={closed}, {longer_ms:.0f} ms",
        all(400 <= status < 500 for status in statuses) and closed,
    )

    # L4: declares 1000 bytes, sends 10 and waits: 408 once the body timeout ends.
    raw = await Raw.open(live.port)
    try:
        sent = time.monotonic()  # before the write: the server's timer cannot start earlier
        await raw.send(head("POST", sign_in, *json_head, "Content-Length: 1000") + b'{"email":')
        short = await raw.answer(timeout=BODY_TIMEOUT_S + 10)
    finally:
        raw.close()
    short_ms = (short.at - sent - BODY_TIMEOUT_S) * 1000
    battery.check(
        "L4",
        f"Content-Length 1000, 10 bytes sent: status, ms after the {BODY_TIMEOUT_S:.0f} s timeout",
        f"408, <= {DETECTION_MS:.0f} ms",
        f"{short.status}, {short_ms:.1f} ms",
        short.status == 408 and short_ms <= DETECTION_MS,
    )

    # L5: deep JSON, just over the limit and absurdly deep (an envelope route: the sign-in
    # routes speak better-auth's wire, which answers validation with 400).
    statuses, times = [], []
    for depth in (65, 1000, 100_000):
        body = b'{"ids": ' + b"[" * depth + b"]" * depth + b"}"
        answer, ms = await timed(
            live.port,
            head("POST", BULK, *json_head, f"Content-Length: {len(body)}") + body,
        )
        statuses.append(answer.status)
        times.append(ms)
    battery.check(
        "L5",
        "JSON depth 65 / 1000 / 100000: statuses, worst ms",
        f"422 x 3, <= {DETECTION_MS:.0f} ms",
        f"{statuses}, {worst(times)}",
        statuses == [422] * 3 and max(times) <= DETECTION_MS,
    )


async def _shapes(live: Live, battery: Battery, token: str) -> None:
    auth = f"Authorization: {token}"
    refused, times = [], []  # (status, the fields the 422 names)
    targets = [
        ("/api/internal/author?page=1000000000", "page"),
        ("/api/internal/author?page=" + "9" * 40, "page"),
        ("/api/internal/author?limit=1000000000", "limit"),
        ("/api/internal/author?page=1&limit=101", "limit"),
        (f"{LIST}?page=1000000000&limit=1000000000", "page"),
    ]
    wanted = [(422, [field]) for _, field in targets] + [(422, ["ids"])]
    for target, _ in targets:
        answer, ms = await timed(live.port, head("GET", target, auth))
        refused.append((answer.status, _fields(answer)))
        times.append(ms)
    body = json.dumps({"ids": [str(uuid.uuid4()) for _ in range(101)]}).encode()
    bulk, bulk_ms = await timed(
        live.port,
        head(
            "POST",
            BULK,
            auth,
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
        )
        + body,
    )
    refused.append((bulk.status, _fields(bulk)))
    times.append(bulk_ms)
    battery.check(
        "L6",
        "page 10^9 / 10^40, limit 10^9 / 101, public list page 10^9, bulk 101 ids: "
        "statuses and fields named, worst ms",
        f"422 on page/page/limit/limit/page/ids, <= {DETECTION_MS:.0f} ms",
        f"{refused}, {worst(times)}",
        refused == wanted and max(times) <= DETECTION_MS,
    )


def _fields(answer: Answer) -> list[str]:
    errors = answer.json().get("errors") or []
    assert isinstance(errors, list)
    return sorted({str(error["field"]) for error in errors})


async def _queries(live: Live, battery: Battery) -> None:
    query, query_ms = await timed(live.port, head("GET", "/api/health?q=" + "a" * QUERY_LIMIT))
    huge_query, huge_ms = await timed(live.port, head("GET", "/api/health?q=" + "a" * MIB))
    battery.check(
        "L7",
        "query 8 KiB + 3 / 1 MiB: statuses, worst ms",
        f"413 / 431, <= {DETECTION_MS:.0f} ms",
        f"{query.status} / {huge_query.status}, {worst([query_ms, huge_ms])}",
        query.status == 413 and huge_query.status == 431 and max(query_ms, huge_ms) <= DETECTION_MS,
    )


async def _heads(live: Live, battery: Battery) -> None:
    many = [f"X-Pad-{n}: " + "p" * 100 for n in range(HEAD_LIMIT // 100 + 1)]
    results = []
    for request in (
        head("GET", "/api/health", *many),  # whole, in one go
        head("GET", "/api/health", "X-Big: " + "b" * MIB),  # one header, never ending in time
    ):
        results.append(await timed(live.port, request))
    statuses = [answer.status for answer, _ in results]
    closed = [answer.closed for answer, _ in results]
    times = [ms for _, ms in results]
    battery.check(
        "L8",
        "headers 64 KiB + (many) / 1 MiB (one): statuses, closed, worst ms",
        f"431 x 2, closed, <= {DETECTION_MS:.0f} ms",
        f"{statuses}, {closed}, {worst(times)}",
        statuses == [431, 431] and all(closed) and max(times) <= DETECTION_MS,
    )


async def _sockets(live: Live, battery: Battery) -> None:
    user = live.users[0]
    codes, times = [], []
    for size in (FRAME_LIMIT + 1, MIB):
        async with socket_of(live.server, user, max_size=None) as ws:
            await ws.recv()  # connected
            sent = time.monotonic()
            await ws.send("x" * size)
            try:
                async with asyncio.timeout(10):
                    while True:
                        await ws.recv()
            except ConnectionClosed as closed:
                times.append((time.monotonic() - sent) * 1000)
                codes.append(closed.rcvd.code if closed.rcvd else 0)
    battery.check(
        "L9",
        "WebSocket frame 4 KiB + 1 / 1 MiB: close codes, worst ms",
        f"1009 x 2, <= {DETECTION_MS:.0f} ms",
        f"{codes}, {worst(times)}",
        codes == [1009, 1009] and max(times) <= DETECTION_MS,
    )

    flood = live.users[1]
    async with contextlib.AsyncExitStack() as stack:
        sockets = [
            await stack.enter_async_context(socket_of(live.server, flood))
            for _ in range(SOCKETS_PER_USER)
        ]
        for ws in sockets:
            await ws.recv()  # each one connected
        extra = await stack.enter_async_context(socket_of(live.server, flood))
        code = 0
        try:
            async with asyncio.timeout(10):
                while True:
                    await extra.recv()
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else 0
        # Every earlier socket still answers a ping.
        alive = 0
        for ws in sockets:
            await ws.send('{"action": "ping"}')
            async with asyncio.timeout(5):
                while '"pong"' not in str(await ws.recv()):
                    pass
            alive += 1
    battery.check(
        "L10",
        f"sockets of one user: the {SOCKETS_PER_USER + 1}st's close code, earlier ones alive",
        f"1008, {SOCKETS_PER_USER} alive",
        f"{code}, {alive} alive",
        code == 1008 and alive == SOCKETS_PER_USER,
    )


async def _raw_socket(live: Live, login: Login) -> Raw:
    """A WebSocket handshake by hand, so a frame can be sent header first."""
    raw = await Raw.open(live.port)
    key = base64.b64encode(os.urandom(16)).decode()
    await raw.send(
        head(
            "GET",
            "/ws/notif",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
            f"Authorization: Bearer {login.token}",
        )
    )
    async with asyncio.timeout(10):
        answer = await raw.reader.readuntil(b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 101"), answer
    return raw


async def _close_code(raw: Raw, timeout: float = 10.0) -> tuple[int, float]:
    """The close code the server sends (frames before it skipped) and when it arrived;
    0 when the server closed without one or kept the socket open past ``timeout``."""
    try:
        return await asyncio.wait_for(_read_close(raw), timeout)
    except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
        return 0, time.monotonic()


async def _read_close(raw: Raw) -> tuple[int, float]:
    while True:
        first, second = await raw.reader.readexactly(2)
        length = second & 0x7F
        if length == 126:
            length = int.from_bytes(await raw.reader.readexactly(2), "big")
        elif length == 127:
            length = int.from_bytes(await raw.reader.readexactly(8), "big")
        payload = await raw.reader.readexactly(length)
        if first & 0x0F == 0x8:
            return int.from_bytes(payload[:2], "big"), time.monotonic()


async def _frame_flood(live: Live, battery: Battery) -> None:
    """Every socket a user may hold announces a 16 MiB frame and sends its first 64 KiB: each
    is closed from the header on, and the server buffers none of it."""
    flood = live.users[2]  # not L10's user, whose sockets may still be closing
    sockets = [await _raw_socket(live, flood) for _ in range(SOCKETS_PER_USER)]
    pid = live.server.process.pid
    base = rss_mib(pid)
    watcher = asyncio.create_task(_watch_rss(pid))
    length = 16 * MIB - 1
    header = bytes([0x81, 0xFF]) + length.to_bytes(8, "big") + os.urandom(4)  # masked text
    try:
        sent = [await raw.send(header + b"x" * (64 * 1024)) for raw in sockets]
        closes = await asyncio.gather(*(_close_code(raw) for raw in sockets))
    finally:
        peak = await _stop(watcher)
        for raw in sockets:
            raw.close()
    codes = sorted({code for code, _ in closes})
    times = [(at - when) * 1000 for (_, at), when in zip(closes, sent, strict=True)]
    grown = max(peak, base) - base
    battery.check(
        "L18",
        f"{SOCKETS_PER_USER} sockets of one user each announcing a 16 MiB frame: close codes, "
        "worst ms after the header, RSS peak growth",
        f"1009, <= {DETECTION_MS:.0f} ms, < {RSS_GROWTH_MIB:.0f} MiB",
        f"{codes}, {worst(times)}, {grown:.1f} MiB",
        codes == [1009] and max(times) <= DETECTION_MS and grown < RSS_GROWTH_MIB,
    )


async def _catch_up_flood(live: Live, battery: Battery) -> None:
    """Every socket of one user sends catch-up requests (a database read each) as fast as it
    can: each is closed once past its allowance, and a list route stays answered meanwhile."""
    flood = live.users[3]
    frames = 300

    async def one() -> tuple[int, int]:
        async with socket_of(live.server, flood) as ws:
            await ws.recv()  # connected
            sent = 0
            try:
                for _ in range(frames):
                    await ws.send('{"after_id": 0}')
                    sent += 1
                async with asyncio.timeout(10):
                    while True:
                        await ws.recv()
            except ConnectionClosed as closed:
                return (closed.rcvd.code if closed.rcvd else 0), sent
            return 0, sent

    started = time.monotonic()
    flooding = asyncio.gather(*(one() for _ in range(SOCKETS_PER_USER)))
    probes = []
    async with httpx.AsyncClient(base_url=live.server.http, timeout=30) as client:
        while not flooding.done():
            at = time.monotonic()
            assert (await client.get(LIST)).status_code == 200
            probes.append((time.monotonic() - at) * 1000)
            await asyncio.sleep(0.02)
    results = await flooding
    elapsed = time.monotonic() - started
    codes = sorted({code for code, _ in results})
    # The probe's read queues behind the flood's allowed catch-up reads. SQLite runs them one
    # file, one thread per connection: a CI run on a busy 2-core runner measured 1,059 ms for
    # the slowest of 13 probes there, so SQLite is allowed 2 s; PostgreSQL keeps 1 s.
    probe_target = 2000 if live.url.startswith("sqlite") else 1000
    battery.check(
        "L19",
        f"{SOCKETS_PER_USER} sockets of one user each flooding {frames} catch-up frames: close "
        f"codes, s until all closed, slowest of {len(probes)} {LIST} probes meanwhile",
        f"1008, < 5 s, < {probe_target} ms",
        f"{codes}, {elapsed:.2f} s, {worst(probes or [0.0])}",
        codes == [1008] and elapsed < 5 and max(probes or [0.0]) < probe_target,
    )


async def _upload(live: Live, battery: Battery) -> None:
    png = (
        b"\x89PNG\r\n\x1a\n" + b"\x00" * (AVATAR_LIMIT + 1)  # sniffed as PNG, one byte too many
    )
    async with httpx.AsyncClient(base_url=live.server.http, timeout=30) as client:
        started = time.monotonic()
        answer = await client.post(
            "/api/upload",
            data={"kind": "avatar"},
            files={"file": ("a.png", png, "image/png")},
            headers=bearer(live.users[2]),
        )
        ms = (time.monotonic() - started) * 1000
    battery.check(
        "L11",
        "avatar upload 5 MiB + 9 bytes: status, ms for the whole exchange",
        "413",
        f"{answer.status_code}, {ms:.0f} ms",
        answer.status_code == 413,
    )


async def _slow_loris(live: Live) -> list[tuple[Answer, float]]:
    """Both at once: the head dribbled a byte at a time, and a body dribbled after a whole head."""

    async def dribble_head() -> tuple[Answer, float]:
        opened = time.monotonic()  # the server's head timer starts at its accept
        raw = await Raw.open(live.port)
        try:
            request = head("GET", "/api/health", "X-Slow: " + "s" * 100)
            reading = asyncio.create_task(raw.answer(timeout=HEAD_TIMEOUT_S + 10))
            for byte in request[:-4]:
                if reading.done():
                    break
                with contextlib.suppress(ConnectionError):
                    await raw.send(bytes([byte]))
                await asyncio.sleep(0.5)
            answer = await reading
            return answer, (answer.at - opened - HEAD_TIMEOUT_S) * 1000
        finally:
            raw.close()

    async def dribble_body() -> tuple[Answer, float]:
        raw = await Raw.open(live.port)
        try:
            sent = time.monotonic()  # before the write: the server's timer cannot start earlier
            await raw.send(
                head(
                    "POST",
                    "/api/auth/sign-in/email",
                    "Content-Type: application/json",
                    "Content-Length: 100",
                )
            )
            reading = asyncio.create_task(raw.answer(timeout=BODY_TIMEOUT_S + 10))
            for byte in b'{"email": "a@b.c", "password": "x"':
                if reading.done():
                    break
                with contextlib.suppress(ConnectionError):
                    await raw.send(bytes([byte]))
                await asyncio.sleep(0.5)
            answer = await reading
            return answer, (answer.at - sent - BODY_TIMEOUT_S) * 1000
        finally:
            raw.close()

    return await asyncio.gather(dribble_head(), dribble_body())


def _record_slow_loris(
    battery: Battery, heads: tuple[Answer, float], bodies: tuple[Answer, float]
) -> None:
    (head_answer, head_ms), (body_answer, body_ms) = heads, bodies
    battery.check(
        "L12",
        f"slow-loris head, 2 bytes/s: status, closed, ms after the {HEAD_TIMEOUT_S:.0f} s timeout",
        f"408, closed, <= {DETECTION_MS:.0f} ms",
        f"{head_answer.status}, closed={head_answer.closed}, {head_ms:.1f} ms",
        head_answer.status == 408 and head_answer.closed and head_ms <= DETECTION_MS,
    )
    battery.check(
        "L13",
        f"slow-loris body, 2 bytes/s: status, ms after the {BODY_TIMEOUT_S:.0f} s timeout",
        f"408, <= {DETECTION_MS:.0f} ms",
        f"{body_answer.status}, {body_ms:.1f} ms",
        body_answer.status == 408 and body_ms <= DETECTION_MS,
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
                watcher = asyncio.create_task(_watch_rss(pid))
                answers = await asyncio.gather(*wave, return_exceptions=True)
                peak_rss = max(peak_rss, await _stop(watcher))
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


async def _watch_rss(pid: int) -> float:
    peak = 0.0
    with contextlib.suppress(asyncio.CancelledError):
        while True:
            peak = max(peak, rss_mib(pid))
            await asyncio.sleep(0.05)
    return peak


async def _stop(task: asyncio.Task[float]) -> float:
    task.cancel()
    return await task
