"""The limits battery's live server and its raw HTTP/1.1 client, timed on the wire
(esensi/tests/battery/test_limits_live.py; security.md T2.1)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from notify_live import Login, Server

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


async def watch_rss(pid: int) -> float:
    """The peak RSS of ``pid`` (MiB), sampled every 50 ms until cancelled (:func:`stop_watch`)."""
    peak = 0.0
    with contextlib.suppress(asyncio.CancelledError):
        while True:
            peak = max(peak, rss_mib(pid))
            await asyncio.sleep(0.05)
    return peak


async def stop_watch(task: asyncio.Task[float]) -> float:
    task.cancel()
    return await task
