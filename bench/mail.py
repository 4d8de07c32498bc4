"""``python -m bench.mail``: scenario (e), outbox drain against a plain smtplib loop.

Per repetition (interleaved B, O, O2): B renders, builds and sends K messages one by one over
one smtplib connection; O queues the same K messages with ``rlib.mail.send_email`` in one
transaction, then drains them with one ``OutboxWorker`` (O2: two workers, two SMTP
connections). The sink (``bench/mail_sink.py``) runs on the client core and counts messages by
Message-ID; a run counts only when every message arrived exactly once. This process runs on the
server core; its CPU time (and, for O, the CPU time of the bench database's backends) over K
gives CPU-µs per message. Results: ``bench/results/<date>-<commit>-mail-postgresql.{json,md}``
and ``latest-mail.json`` (kept apart from the HTTP suite's files; same ``meta`` keys), written
by ``bench/mail_report.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import asyncpg
import orjson

from bench import loader, report
from bench.config import BenchConfig
from bench.mail_apps import OutboxBench, plain_loop
from bench.mail_drill import DrillResult, kill_drill
from bench.mail_report import APPS, MAIL_BATCH, SATURATED_PCT, TARGET, write
from bench.mail_report import markdown as markdown  # re-exported: bench.mail.markdown
from bench.mail_sink import digest
from bench.servers import CLIENT_CORE, ROOT, SERVER_CORE, core_times, cpu_seconds, pinned

logger = logging.getLogger("bench.mail")


@dataclass(slots=True)
class Sample:
    msgs_per_s: float
    cpu_us_per_msg: float
    db_cpu_us_per_msg: float = 0.0
    enqueue_msgs_per_s: float = 0.0
    enqueue_cpu_us_per_msg: float = 0.0
    # Is the other side the limit? The sink's CPU per message and its share of one core, the
    # database backends' share, and how busy the client core (sink + PostgreSQL) was.
    sink_cpu_us_per_msg: float = 0.0
    sink_busy_pct: float = 0.0
    db_busy_pct: float = 0.0
    client_core_busy_pct: float = 0.0


@dataclass(slots=True)
class Gauges:
    """CPU of the sink, of the database backends and of the client core over one drain."""

    sink_pid: int
    db_pids: list[int]
    _start: tuple[float, float, float, tuple[int, int]] = (0.0, 0.0, 0.0, (0, 0))

    def start(self) -> None:
        self._start = (
            time.perf_counter(),
            cpu_seconds([self.sink_pid]),
            cpu_seconds(self.db_pids),
            core_times(CLIENT_CORE),
        )

    def stop(self, count: int) -> dict[str, float]:
        wall0, sink0, db0, (busy0, total0) = self._start
        wall = time.perf_counter() - wall0
        sink = cpu_seconds([self.sink_pid]) - sink0
        busy, total = core_times(CLIENT_CORE)
        return {
            "sink_cpu_us_per_msg": sink * 1e6 / count,
            "sink_busy_pct": 100 * sink / wall,
            "db_busy_pct": 100 * (cpu_seconds(self.db_pids) - db0) / wall,
            "client_core_busy_pct": 100 * (busy - busy0) / max(1, total - total0),
        }


class Sink:
    """The sink process, pinned to the client core; ``ask`` sends one control line."""

    def __init__(self) -> None:
        argv = pinned(CLIENT_CORE, [sys.executable, "-m", "bench.mail_sink"])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.port = int(self._read()["port"])

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the SMTP sink exited")
        reply: dict[str, Any] = orjson.loads(line)
        return reply

    def ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def check_delivered(sink: Sink | Any, expected_ids: list[str]) -> None:
    """Every expected message arrived exactly once, and nothing else did."""
    stats = sink.ask("stats")
    count = len(expected_ids)
    if stats["total"] != count or stats["distinct"] != count:
        raise RuntimeError(f"sink counted {stats}, expected {count} distinct messages once each")
    if stats["digest"] != digest(expected_ids):
        raise RuntimeError("the sink received other Message-IDs than the ones sent")


async def backend_pids(cfg: BenchConfig) -> list[int]:
    """PIDs of the bench database's backends, pinned to the client core like the HTTP suite's."""
    conn = await asyncpg.connect(cfg.dsn)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            cfg.db_name,
        )
    finally:
        await conn.close()
    pids = [int(row["pid"]) for row in rows]
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        for pid in pids:
            taskset = ["taskset", "-p", "-c", CLIENT_CORE, str(pid)]
            subprocess.run(taskset, capture_output=True, check=False)
    return pids


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def run_plain(sink: Sink, count: int) -> Sample:
    sink.ask("reset")
    ids: list[str] = []
    gauges = Gauges(sink.process.pid, [])
    gauges.start()
    wall, cpu = _timed(lambda: ids.extend(plain_loop(sink.port, count)))
    others = gauges.stop(count)
    check_delivered(sink, ids)
    return Sample(msgs_per_s=count / wall, cpu_us_per_msg=cpu * 1e6 / count, **others)


async def run_outbox(
    bench: OutboxBench, sink: Sink, cfg: BenchConfig, count: int, conns: int
) -> Sample:
    sink.ask("reset")
    wall, cpu = time.perf_counter(), time.process_time()
    await bench.enqueue(count)
    enqueue_wall, enqueue_cpu = time.perf_counter() - wall, time.process_time() - cpu
    await bench.warm(conns)
    pids = await backend_pids(cfg)
    gauges = Gauges(sink.process.pid, pids)
    db_before = cpu_seconds(pids)
    gauges.start()
    wall, cpu = time.perf_counter(), time.process_time()
    claimed = await bench.drain(conns)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    others = gauges.stop(count)
    db_cpu = cpu_seconds(pids) - db_before
    if claimed != count:
        raise RuntimeError(f"workers claimed {claimed} messages, expected {count}")
    check_delivered(sink, await bench.message_ids())
    statuses = await bench.status_counts()
    if statuses != {"sent": count}:
        raise RuntimeError(f"outbox rows after the drain: {statuses}")
    return Sample(
        msgs_per_s=count / wall,
        cpu_us_per_msg=cpu * 1e6 / count,
        db_cpu_us_per_msg=db_cpu * 1e6 / count,
        enqueue_msgs_per_s=count / enqueue_wall,
        enqueue_cpu_us_per_msg=enqueue_cpu * 1e6 / count,
        **others,
    )


def _median(samples: list[Sample]) -> dict[str, Any]:
    rows = [asdict(s) for s in samples]
    block: dict[str, Any] = {
        key: round(statistics.median(row[key] for row in rows), 1)
        for key in rows[0]
        if any(row[key] for row in rows)
    }
    block["runs_msgs_per_s"] = [round(row["msgs_per_s"], 1) for row in rows]
    return block


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 3)


def scenario_block(
    samples: dict[str, list[Sample]], drill: DrillResult | None = None
) -> dict[str, Any]:
    """Medians per sender, then :func:`with_ratios`."""
    return with_ratios({app: _median(runs) for app, runs in samples.items()}, drill)


def with_ratios(block: dict[str, Any], drill: DrillResult | None = None) -> dict[str, Any]:
    """O's and O2's ratios to B (rate and CPU) and O2's to O, target and verdict."""
    b, o, o2 = block["B"], block["O"], block["O2"]
    block["o_over_b"] = _ratio(o["msgs_per_s"], b["msgs_per_s"])
    block["o2_over_b"] = _ratio(o2["msgs_per_s"], b["msgs_per_s"])
    block["o2_over_o"] = _ratio(o2["msgs_per_s"], o["msgs_per_s"])
    # CPU ratios: B's CPU-µs per message over O's (higher is better for O), as in the HTTP suite.
    block["cpu_o_over_b"] = _ratio(b["cpu_us_per_msg"], o["cpu_us_per_msg"])
    block["cpu_o_plus_db_over_b"] = _ratio(
        b["cpu_us_per_msg"], o["cpu_us_per_msg"] + o.get("db_cpu_us_per_msg", 0.0)
    )
    block["cpu_o2_over_b"] = _ratio(b["cpu_us_per_msg"], o2["cpu_us_per_msg"])
    # The kill -9 drill (bench/mail_drill.py): None when it was skipped (--no-kill).
    block["lost_on_kill"] = drill.lost_on_kill if drill else None
    block["duplicates"] = drill.duplicates if drill else None
    if drill:
        block["kill_drill"] = asdict(drill)
    # "≥ 1.6x with two connections unless the sink saturates": during O2's drains the sink,
    # or the sink and the database backends together (our processes on the client core), use
    # 90% of a core or more. The client core's overall busy share also counts other users of
    # the machine, so it is reported (client_core_saturated) but waives nothing.
    ours = o2.get("sink_busy_pct", 0.0) + o2.get("db_busy_pct", 0.0)
    block["o2_sink_saturated"] = ours >= SATURATED_PCT
    block["client_core_saturated"] = any(
        block[app].get("client_core_busy_pct", 0.0) >= SATURATED_PCT for app in APPS
    )
    block["target"] = TARGET | {"lost_on_kill": 0, "duplicates_max": MAIL_BATCH}
    met = all(
        block[key] >= value
        for key, value in TARGET.items()
        if not (key == "o2_over_o" and block["o2_sink_saturated"])
    )
    if drill:
        met = met and drill.lost_on_kill == 0 and drill.duplicates <= MAIL_BATCH
    block["met"] = met
    return block


@contextmanager
def _on_server_core() -> Iterator[None]:
    # The sender plays the server's part: it runs where the HTTP suite runs its apps.
    if not hasattr(os, "sched_setaffinity") or (os.cpu_count() or 1) < 2:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {int(SERVER_CORE)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


async def measure(
    cfg: BenchConfig, count: int, repetitions: int, *, kill_count: int = 0
) -> tuple[dict[str, list[Sample]], DrillResult | None]:
    """Interleaved repetitions of B, O and O2 against one sink, every delivery checked; then
    (``kill_count`` > 0) the kill -9 drill with that many messages on the same sink."""
    await loader.ensure_database(cfg)
    sink = Sink()
    bench = OutboxBench(cfg.database_url, sink.port)
    samples: dict[str, list[Sample]] = {app: [] for app in APPS}
    try:
        await bench.create()
        with _on_server_core():
            for rep in range(repetitions):
                samples["B"].append(run_plain(sink, count))
                samples["O"].append(await run_outbox(bench, sink, cfg, count, 1))
                samples["O2"].append(await run_outbox(bench, sink, cfg, count, 2))
                logger.info(
                    "rep %d: %s",
                    rep + 1,
                    {app: round(runs[-1].msgs_per_s) for app, runs in samples.items()},
                )
        drill = await kill_drill(cfg.database_url, sink, kill_count) if kill_count else None
        if drill:
            logger.info("kill drill: %s", drill)
    finally:
        await bench.drop()
        sink.close()
    return samples, drill


async def _db_settings(cfg: BenchConfig) -> dict[str, str]:
    conn = await asyncpg.connect(cfg.dsn)
    try:
        return {
            "synchronous_commit": str(await conn.fetchval("SHOW synchronous_commit")),
            "fsync": str(await conn.fetchval("SHOW fsync")),
            "postgresql": str(await conn.fetchval("SHOW server_version")),
        }
    finally:
        await conn.close()


def document(cfg: BenchConfig, args: argparse.Namespace, block: dict[str, Any]) -> dict[str, Any]:
    """The JSON of one run: the HTTP suite's meta keys that apply, then ``scenarios.e``."""
    versions = ("rlib", "sqlalchemy", "asyncpg", "aiosmtplib", "aiosmtpd")
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": report._git("rev-parse", "--short", "HEAD"),
        "dirty": bool(report._git("status", "--porcelain", "--untracked-files=no")),
        "backend": cfg.backend,
        "versions": {"python": platform.python_version()}
        | {p: report._version(p) for p in versions},
        "cpu_model": report._cpu_model(),
        "cores": os.cpu_count(),
        "pinning": {"sender": SERVER_CORE, "sink": CLIENT_CORE, "postgres_backends": CLIENT_CORE},
        **asyncio.run(_db_settings(cfg)),
        "messages": args.count,
        "repetitions": args.repetitions,
        "batch_size": MAIL_BATCH,
    }
    return {"meta": meta, "scenarios": {"e": block}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mail", description=__doc__)
    parser.add_argument("--count", type=int, default=5000, help="messages per run (K)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument(
        "--no-kill", dest="kill", action="store_false", help="skip the kill -9 drill"
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    cfg = BenchConfig.from_env()
    if cfg.is_sqlite:
        parser.error("scenario (e) runs on PostgreSQL (BENCH_DATABASE_URL)")
    kill_count = args.count if args.kill else 0
    samples, drill = asyncio.run(measure(cfg, args.count, args.repetitions, kill_count=kill_count))
    sys.stdout.write(write(document(cfg, args, scenario_block(samples, drill))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
