"""Scenario (e)'s kill -9 drill: a worker killed mid-drain loses nothing and re-sends ≤ a batch.

The parent queues K messages, starts a worker in its own process (``python -m
bench.mail_drill --schema … --port …``, pinned to the server core), waits until the sink has
counted about a third of them, and kills it with SIGKILL. A second worker process then drains
the rest, retaking the killed worker's claimed rows once their lease (short here, so the drill
takes seconds rather than the default two minutes) has expired. The sink's counts give
``lost_on_kill`` (expected Message-IDs never seen) and ``duplicates`` (deliveries beyond one per
message); every row must end ``sent``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench.mail_apps import OutboxBench
from bench.servers import ROOT, SERVER_CORE, pinned

DRILL_LEASE_S = 2.0
_KILL_AT = 1 / 3
_TIMEOUT_S = 120.0


@dataclass(frozen=True, slots=True)
class DrillResult:
    messages: int
    delivered_before_kill: int
    lost_on_kill: int
    duplicates: int


def _worker(bench: OutboxBench, port: int) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "bench.mail_drill", "--schema", bench.schema]
    argv += ["--port", str(port), "--url", bench.database.config.url]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(pinned(SERVER_CORE, argv), cwd=ROOT, env=env)


async def _wait_for_total(sink: Any, at_least: int, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + _TIMEOUT_S
    while time.monotonic() < deadline:
        total = int(sink.ask("stats")["total"])
        if total >= at_least or process.poll() is not None:
            return total
        await asyncio.sleep(0.005)
    raise TimeoutError(f"the worker sent fewer than {at_least} messages in {_TIMEOUT_S} s")


async def kill_drill(database_url: str, sink: Any, count: int) -> DrillResult:
    """Queue ``count`` messages, kill the draining worker at a third, restart, count."""
    sink.ask("reset")
    bench = OutboxBench(database_url, sink.port, lease_s=DRILL_LEASE_S)
    await bench.create()
    try:
        await bench.enqueue(count)
        first = _worker(bench, sink.port)
        try:
            before = await _wait_for_total(sink, int(count * _KILL_AT), first)
            first.send_signal(signal.SIGKILL)
        finally:
            first.wait()
        if before >= count:
            raise RuntimeError("the worker finished before it could be killed; raise --count")
        second = _worker(bench, sink.port)
        if second.wait(timeout=_TIMEOUT_S) != 0:
            raise RuntimeError(f"the restarted worker exited with {second.returncode}")
        expected = set(await bench.message_ids())
        statuses = await bench.status_counts()
    finally:
        await bench.drop()
    if statuses != {"sent": count}:
        raise RuntimeError(f"outbox rows after the drill: {statuses}")
    seen = sink.ask("ids")["ids"]
    delivered = set(seen)
    return DrillResult(
        messages=count,
        delivered_before_kill=before,
        lost_on_kill=len(expected - delivered),
        duplicates=len(seen) - len(delivered),
    )


async def _drain_until_done(url: str, schema: str, port: int) -> None:
    """The worker process: drain, and once more after each lease until every row is sent."""
    bench = OutboxBench(url, port, schema=schema, lease_s=DRILL_LEASE_S)
    try:
        deadline = time.monotonic() + _TIMEOUT_S
        while time.monotonic() < deadline:
            await bench.drain(1)
            left = await bench.status_counts()
            if set(left) == {"sent"}:
                return
            await asyncio.sleep(DRILL_LEASE_S / 4)  # a killed worker's claims: wait out the lease
        raise TimeoutError("rows still unsent after the drill's timeout")
    finally:
        await bench.database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mail_drill", description=__doc__)
    parser.add_argument("--schema", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--url", required=True)
    args = parser.parse_args()
    asyncio.run(_drain_until_done(args.url, args.schema, args.port))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
