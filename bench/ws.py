"""Scenario (d): WebSocket fan-out, rlib notify through Redis (O) against an in-process
broadcast (B), N = 100 / 1,000 / 4,000 sockets (``python -m bench.ws``).

Per N and app: the server runs on the server core; this process (clients and publisher) on the
client core opens N sockets (O: authenticated with a bearer token, ``connected`` received) and
then measures:

- **saturation**: messages published as fast as the fan-out keeps up, at most ``window``
  messages not yet delivered to every socket (so O's bounded per-socket queues never drop
  anyone); deliveries/s = frames received over the wall time;
- **fixed rate** (N = 1,000): 50 messages/s = 50k deliveries/s for ``fixed_s``, latency
  = receive time - the publish time carried in the frame; p50/p99;
- **memory**: (server RSS with N idle sockets - RSS with none) / N.

O's publisher writes the hub's bus event straight to Redis (one event → N sockets, one user
holding every socket); B's is asked over a control socket and calls ``websockets.broadcast``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import redis.asyncio as aioredis
from websockets.asyncio.client import ClientConnection, connect

from bench.apps.ws_b import frame as b_frame
from bench.apps.ws_o import TOKEN, USER_ID
from bench.servers import CLIENT_CORE, ROOT, SERVER_CORE, free_port, pinned

RESULTS = ROOT / "bench" / "results"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
TARGET_RATIO = 0.60
TARGET_KB = 25.0


def _command(app: str, port: int) -> list[str]:
    if app == "B":
        return [sys.executable, "-m", "bench.apps.ws_b", str(port)]
    return [
        sys.executable, "-m", "uvicorn", "--factory", "bench.apps.ws_o:create_app",
        "--host", "127.0.0.1", "--port", str(port), "--loop", "uvloop", "--http", "httptools",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


@dataclass
class Server:
    app: str
    port: int
    process: subprocess.Popen[bytes]

    def rss_kb(self) -> int:
        """Resident memory of the server process, in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def start(app: str, env: dict[str, str]) -> Server:
    port = free_port()
    process = subprocess.Popen(
        pinned(SERVER_CORE, _command(app, port)),
        cwd=ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
    )
    server = Server(app, port, process)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            await asyncio.sleep(0.5)  # O: let the lifespan finish (tables, bus subscription)
            return server
        except OSError:
            await asyncio.sleep(0.1)
    server.stop()
    raise TimeoutError(f"{app} did not listen")


@dataclass
class Clients:
    """N sockets whose frames are counted (and timed while ``timing`` is on)."""

    app: str
    received: int = 0
    timing: bool = False
    latencies: list[float] = field(default_factory=list)
    sockets: list[ClientConnection] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def open(self, port: int, n: int) -> None:
        url = f"ws://127.0.0.1:{port}/ws" if self.app == "B" else f"ws://127.0.0.1:{port}/ws/notif"
        headers = {} if self.app == "B" else {"Authorization": f"Bearer {TOKEN}"}

        async def one() -> None:
            ws = await connect(
                url, additional_headers=headers, compression=None, ping_interval=None,
                max_queue=None, open_timeout=60,
            )  # fmt: skip
            if self.app == "O":
                first = orjson.loads(await ws.recv())
                assert first["action"] == "connected", first
            self.sockets.append(ws)

        for start_at in range(0, n, 200):
            await asyncio.gather(*(one() for _ in range(min(200, n - start_at))))
        self.tasks = [asyncio.create_task(self._read(ws)) for ws in self.sockets]

    async def _read(self, ws: ClientConnection) -> None:
        async for raw in ws:
            self.received += 1
            if self.timing:
                notif = orjson.loads(raw)["notif"]
                sent = notif["data"]["ts"]  # the same frame shape in B and O
                self.latencies.append(time.time() - sent)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)


def o_event(seq: int, ts: float) -> bytes:
    """The bus event the hub turns into a ``new-notif`` frame for every socket of the user."""
    notif = orjson.loads(b_frame(seq, ts))["notif"]
    return orjson.dumps({"k": "new", "a": "new-notif", "u": str(USER_ID), "n": notif})


async def publisher(
    app: str, server: Server, channel: str
) -> tuple[Callable[[int], Awaitable[None]], Callable[[], Awaitable[None]]]:
    """A function that publishes message ``seq`` now, and one that closes the publisher."""
    if app == "B":
        control = await connect(f"ws://127.0.0.1:{server.port}/control", compression=None)

        async def send_b(seq: int) -> None:
            await control.send(orjson.dumps({"seq": seq, "ts": time.time()}).decode())

        return send_b, control.close
    redis = aioredis.Redis.from_url(REDIS_URL)

    async def send_o(seq: int) -> None:
        await redis.publish(channel, o_event(seq, time.time()))

    return send_o, redis.aclose


async def saturate(
    clients: Clients,
    send: Callable[[int], Awaitable[None]],
    n: int,
    seconds: float,
    window: int,
    seq0: int,
) -> tuple[float, int]:
    """Deliveries/s with at most ``window`` messages short of every socket."""
    base = clients.received
    sent = 0
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if sent - (clients.received - base) / n < window:
            await send(seq0 + sent)
            sent += 1
        else:
            await asyncio.sleep(0.0002)
    deadline = time.monotonic() + 10
    while clients.received - base < sent * n and time.monotonic() < deadline:
        await asyncio.sleep(0.001)
    elapsed = time.monotonic() - started
    return (clients.received - base) / elapsed, sent


async def fixed_rate(
    clients: Clients, send: Callable[[int], Awaitable[None]], per_s: int, seconds: float, seq0: int
) -> dict[str, float]:
    """Latency at ``per_s`` messages per second (open loop)."""
    clients.latencies.clear()
    clients.timing = True
    count = int(per_s * seconds)
    started = time.monotonic()
    for i in range(count):
        delay = started + i / per_s - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        await send(seq0 + i)
    await asyncio.sleep(1.0)
    clients.timing = False
    found = sorted(clients.latencies)
    if not found:
        return {"p50_ms": float("nan"), "p99_ms": float("nan"), "deliveries": 0}
    return {
        "p50_ms": round(statistics.median(found) * 1000, 2),
        "p99_ms": round(found[int(len(found) * 0.99) - 1] * 1000, 2),
        "deliveries": len(found),
        "expected": count * len(clients.sockets),
    }


async def measure(app: str, n: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    channel = f"bench_ws_{uuid.uuid4().hex}"
    env = {
        "BENCH_WS_DB": str(workdir / f"ws-{uuid.uuid4().hex}.sqlite3"),
        "BENCH_WS_REDIS": REDIS_URL,
        "BENCH_WS_CHANNEL": channel,
        "BENCH_WS_SOCKETS": str(n + 10),
    }
    server = await start(app, env)
    clients = Clients(app)
    try:
        idle_before = server.rss_kb()
        await clients.open(server.port, n)
        await asyncio.sleep(1.0)
        idle_after = server.rss_kb()
        send, close = await publisher(app, server, channel)
        try:
            await saturate(clients, send, n, 1.0, args.window, 1)  # warm-up
            rate, sent = await saturate(clients, send, n, args.seconds, args.window, 1_000_000)
            result: dict[str, Any] = {
                "deliveries_per_s": round(rate),
                "messages": sent,
                "kb_per_idle_conn": round((idle_after - idle_before) / n, 1),
            }
            if n == 1000:
                result["fixed_rate"] = await fixed_rate(clients, send, 50, args.fixed_s, 2_000_000)
                result["p99_ms"] = result["fixed_rate"]["p99_ms"]
        finally:
            await close()
        return result
    finally:
        await clients.close()
        server.stop()


async def run(args: argparse.Namespace) -> dict[str, Any]:
    pin = hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1
    cores = os.sched_getaffinity(0) if pin else set()
    if pin:
        os.sched_setaffinity(0, {int(CLIENT_CORE)})
    try:
        return await _run(args)
    finally:
        if pin:  # this process may go on (a test): give it its cores back
            os.sched_setaffinity(0, cores)


async def _run(args: argparse.Namespace) -> dict[str, Any]:
    scenario: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-ws-") as tmp:
        for n in args.sizes:
            runs: dict[str, list[dict[str, Any]]] = {"B": [], "O": []}
            for rep in range(args.repetitions):  # interleaved: B O, B O, ...
                for app in ("B", "O"):
                    sys.stderr.write(f"d N={n} {app} run {rep + 1}\n")
                    runs[app].append(await measure(app, n, args, Path(tmp)))
            row: dict[str, Any] = {app: _median_run(found) for app, found in runs.items()}
            row["o_over_b"] = round(row["O"]["deliveries_per_s"] / row["B"]["deliveries_per_s"], 2)
            row["met"] = row["o_over_b"] >= TARGET_RATIO
            scenario[f"N{n}"] = row
    return scenario


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median delivery rate, with every run's rate beside it."""
    ordered = sorted(runs, key=lambda run: run["deliveries_per_s"])
    median = dict(ordered[len(ordered) // 2])
    median["runs_deliveries_per_s"] = [run["deliveries_per_s"] for run in runs]
    return median


def _commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return found.stdout.strip() or "unknown"


def write(scenario: dict[str, Any], args: argparse.Namespace) -> Path:
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "bus": "redis",
        "python": platform.python_version(),
        "cores": os.cpu_count(),
        "pinning": {"server": SERVER_CORE, "client": CLIENT_CORE},
        "seconds": args.seconds,
        "window": args.window,
        "repetitions": args.repetitions,
        "load_average": os.getloadavg(),
        "fixed_rate": "50 msgs/s x N=1000 = 50k deliveries/s",
    }
    body = {"meta": meta, "scenarios": {"d": scenario}}
    stem = f"{dt.date.today().isoformat()}-{meta['commit']}-ws-redis"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{stem}.json").write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2))
    (RESULTS / "latest-ws.json").write_bytes(orjson.dumps(body, option=orjson.OPT_INDENT_2))
    lines = [
        f"# Scenario (d) — {meta['date']} — {meta['commit']}",
        "",
        "| N | B deliveries/s | O deliveries/s | O/B (≥ 0.60) | O KB/idle socket (≤ 25) | "
        "B p99 ms @50k/s | O p99 ms @50k/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in scenario.items():
        b, o = row["B"], row["O"]
        lines.append(
            f"| {name[1:]} | {b['deliveries_per_s']} | {o['deliveries_per_s']} | "
            f"{row['o_over_b']} {'✓' if row['met'] else '✗'} | {o['kb_per_idle_conn']} | "
            f"{b.get('p99_ms', '-')} | {o.get('p99_ms', '-')} |"
        )
    path = RESULTS / f"{stem}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 4000])
    parser.add_argument("--seconds", type=float, default=4.0, help="saturation run per app")
    parser.add_argument("--fixed-s", type=float, default=4.0, help="fixed-rate run (N=1000)")
    parser.add_argument("--window", type=int, default=32, help="messages in flight at most")
    parser.add_argument("--repetitions", type=int, default=3, help="interleaved runs per app")
    args = parser.parse_args()
    scenario = asyncio.run(run(args))
    sys.stdout.write(write(scenario, args).read_text())


if __name__ == "__main__":
    main()
