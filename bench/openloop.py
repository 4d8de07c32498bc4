"""A fixed-rate (open-loop) HTTP client: latency that a closed-loop wrk run hides.

wrk sends a connection's next request only when the previous answer came back, so a slow
server slows the client and queueing never shows (coordinated omission). Here request ``i`` is
due at ``start + i / rate`` whatever happened before; its latency is measured from that due
time, so time spent waiting for a free connection counts. Requests are pre-formatted HTTP/1.1
bytes sent over keep-alive connections (opened as needed, at most ``--connections``).

Run as ``python -m bench.openloop --port P --rate R --duration S --requests FILE`` (FILE: a JSON
list of ``[method, path, body or null, headers]``); it prints one JSON line: sent, errors,
achieved rate, p50/p99 in ms. The harness runs it pinned to the client core.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import uvloop

_HEADER_END = b"\r\n\r\n"


def encode(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> bytes:
    """One request on the wire (keep-alive, Content-Length when there is a body)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def exchange(self, request: bytes) -> int:
        """Send one request, read its whole answer; returns the status code."""
        self.writer.write(request)
        head = await self.reader.readuntil(_HEADER_END)
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return status


class OpenLoop:
    """Sends ``requests`` round-robin at ``rate`` per second for ``duration_s`` seconds."""

    def __init__(self, port: int, requests: list[bytes], max_connections: int) -> None:
        self.port = port
        self.requests = requests
        self.max_connections = max_connections
        self.idle: list[_Connection] = []
        self.opened = 0
        self.freed = asyncio.Condition()
        self.latencies: list[float] = []
        self.errors = 0

    async def _take(self) -> _Connection:
        async with self.freed:
            while not self.idle and self.opened >= self.max_connections:
                await self.freed.wait()
            if self.idle:
                return self.idle.pop()
            self.opened += 1
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        return _Connection(reader, writer)

    async def _one(self, request: bytes, due: float) -> None:
        conn = await self._take()
        try:
            status = await conn.exchange(request)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            self.errors += 1
            conn.writer.close()
            async with self.freed:
                self.opened -= 1
                self.freed.notify()
            return
        self.latencies.append(time.perf_counter() - due)
        if status >= 400:
            self.errors += 1
        async with self.freed:
            self.idle.append(conn)
            self.freed.notify()

    async def run(self, rate: float, duration_s: float) -> dict[str, Any]:
        total = max(1, int(rate * duration_s))
        tasks = []
        start = time.perf_counter()
        for i in range(total):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            request = self.requests[i % len(self.requests)]
            tasks.append(asyncio.create_task(self._one(request, due)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
        for conn in self.idle:
            conn.writer.close()
        return summary(self.latencies, total, self.errors, elapsed, rate)


def summary(
    latencies: list[float], sent: int, errors: int, elapsed: float, rate: float
) -> dict[str, Any]:
    """The printed figures; percentiles by the nearest-rank method."""
    ordered = sorted(latencies)

    def percentile(p: float) -> float:
        if not ordered:
            return 0.0
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000, 2)

    return {
        "rate": rate,
        "sent": sent,
        "errors": errors,
        "achieved_rps": round(sent / elapsed, 1) if elapsed else 0.0,
        "p50_ms": percentile(50),
        "p99_ms": percentile(99),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2) if ordered else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.openloop", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--duration", type=float, required=True)
    parser.add_argument("--requests", type=Path, required=True)
    parser.add_argument("--connections", type=int, default=256)
    args = parser.parse_args()
    raw = orjson.loads(args.requests.read_bytes())
    requests = [
        encode(args.port, method, path, body.encode() if body is not None else None, headers)
        for method, path, body, headers in raw
    ]
    client = OpenLoop(args.port, requests, args.connections)
    result = uvloop.run(client.run(args.rate, args.duration))
    sys.stdout.write("OPENLOOP_JSON " + orjson.dumps(result).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
