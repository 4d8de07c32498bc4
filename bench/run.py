"""The suite: load data, start the apps, check they agree, then measure interleaved repetitions.

Each measurement is a warm-up followed by a timed wrk run; the comparators are interleaved
(H O F P, H O F P, ...) so drift on the shared machine hits them alike, and the median of
the repetitions is reported. Server CPU-µs per request comes from /proc utime+stime deltas.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from bench import ceiling, check, loader, plans, scenarios
from bench.config import BenchConfig
from bench.load import LoadResult, Target, run_open_loop, run_wrk, write_script
from bench.servers import CLIENT_CORE, Server, core_times, cpu_seconds, process_tree, running

logger = logging.getLogger("bench.run")


@dataclass(frozen=True, slots=True)
class Options:
    config: BenchConfig
    apps: tuple[str, ...] = ("H", "O", "F", "P")
    only: str | None = None
    server: str = "uvicorn"
    warmup_s: float = 2.0
    duration_s: float = 8.0
    repetitions: int = 3
    fixed_s: float = 4.0  # the fixed-rate latency run per app (0: skipped)
    connections: int = 64  # wrk -c; the smoke tests use a few (proof it works, not speed)


@dataclass(slots=True)
class Sample:
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_us_per_req: float
    client_core_busy: float
    errors: int


@dataclass(slots=True)
class Outcome:
    samples: dict[str, dict[str, list[Sample]]] = field(default_factory=dict)
    checked: dict[str, int] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # scenario -> app -> the open-loop run at half of H's saturation rps (bench/openloop.py)
    fixed: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # scenario -> pgbench with H's exact SQL (bench/ceiling.py): the database's own ceiling
    ceilings: dict[str, dict[str, Any]] = field(default_factory=dict)
    # scenario -> H's and O's plan shapes (bench/plans.py), equal or the run aborted
    plans: dict[str, dict[str, Any]] = field(default_factory=dict)
    # scenario -> the database settings a fresh connection saw while it ran (db_settings)
    settings: dict[str, dict[str, str]] = field(default_factory=dict)
    elapsed_s: float = 0.0  # the whole suite, data load included


def _targets(scenario: scenarios.Scenario, app: str) -> list[Target]:
    if scenario.method == "POST":
        return [(scenario.url, orjson.dumps(body), {}) for body in scenario.requests]
    return [
        (scenarios.render(app, q), None, q.headers if isinstance(q, scenarios.GetQuery) else {})
        for q in scenario.requests
        if isinstance(q, scenarios.ListQuery | scenarios.GetQuery)
    ]


async def _pin_backends(cfg: BenchConfig) -> None:
    # The shared postmaster is not ours to pin; the bench database's backends are.
    if cfg.is_sqlite:
        return
    conn = await asyncpg.connect(cfg.dsn)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            cfg.db_name,
        )
    finally:
        await conn.close()
    for row in rows:
        subprocess.run(
            ["taskset", "-p", "-c", CLIENT_CORE, str(row["pid"])], capture_output=True, check=False
        )


# A warm-up repeats while the app answers nothing at all: a loaded machine (or a cold import
# on a fresh clone) can spend the first seconds starting up, and measuring then would time
# the start, not the app.
WARMUP_CAP_S = 60.0
# After a closed-loop run the server still holds the requests wrk had in flight when it
# stopped (nothing cancels them): F and P need up to a second per 64. The next run, of this
# app or another on the same core, starts only once the server's CPU time stops moving.
SETTLE_TICK_S = 0.1
SETTLE_CAP_S = 30.0


def _warm_up(server: Server, script: Path, seconds: float, connections: int) -> None:
    deadline = time.monotonic() + WARMUP_CAP_S
    while True:
        result = run_wrk(server.base_url, script, duration_s=seconds, connections=connections)
        _settle(server)
        if result.requests:
            return
        if time.monotonic() > deadline:
            logger.warning("%s answered nothing in %.0f s of warm-up", server.app, WARMUP_CAP_S)
            return


def _settle(server: Server) -> None:
    """Wait until ``server`` has finished the requests left over from the last run."""
    pids = process_tree(server.process.pid)
    deadline = time.monotonic() + SETTLE_CAP_S
    before = cpu_seconds(pids)
    while time.monotonic() < deadline:
        time.sleep(SETTLE_TICK_S)
        now = cpu_seconds(pids)
        if now == before:  # not one clock tick in 100 ms: idle
            return
        before = now
    logger.warning("%s still busy %.0f s after a run", server.app, SETTLE_CAP_S)


def _measure(
    server: Server, script: Path, opts: Options, *, warm: bool = True, duration_s: float = 0
) -> Sample:
    if warm and opts.warmup_s > 0:
        _warm_up(server, script, opts.warmup_s, opts.connections)
    asyncio.run(_pin_backends(opts.config))
    pids = process_tree(server.process.pid)
    cpu_before, core_before = cpu_seconds(pids), core_times(CLIENT_CORE)
    result: LoadResult = run_wrk(
        server.base_url,
        script,
        duration_s=duration_s or opts.duration_s,
        connections=opts.connections,
    )
    cpu_after, core_after = cpu_seconds(pids), core_times(CLIENT_CORE)
    _settle(server)
    busy = core_after[0] - core_before[0]
    total = core_after[1] - core_before[1]
    return Sample(
        rps=result.rps,
        p50_ms=result.p50_ms,
        p99_ms=result.p99_ms,
        cpu_us_per_req=(cpu_after - cpu_before) * 1e6 / max(1, result.requests),
        client_core_busy=busy / total if total else 0.0,
        # With an expected status (b_401) the 4xx answers are the point; others are errors.
        errors=(result.status_errors if result.unexpected is None else result.unexpected)
        + result.socket_errors,
    )


def _run_scenario(
    scenario: scenarios.Scenario, servers: dict[str, Server], opts: Options, workdir: Path
) -> dict[str, list[Sample]]:
    apps = [app for app in scenario.apps if app in servers]
    scripts = {
        app: write_script(
            workdir / f"{scenario.name}-{app}.lua",
            scenario.method,
            _targets(scenario, app),
            scenario.expect_status,
        )
        for app in apps
    }
    duration = min(opts.duration_s, scenario.duration_s or opts.duration_s)
    samples: dict[str, list[Sample]] = {app: [] for app in apps}
    for rep in range(opts.repetitions):
        # The server stays warm between repetitions: only each app's first run warms it up.
        for app in apps:
            sample = _measure(servers[app], scripts[app], opts, warm=rep == 0, duration_s=duration)
            logger.info(
                "%s rep %d %s: %.0f rps, %.0f cpu-us/req",
                scenario.name,
                rep + 1,
                app,
                sample.rps,
                sample.cpu_us_per_req,
            )
            samples[app].append(sample)
    return samples


def _fixed_rate(
    scenario: scenarios.Scenario,
    servers: dict[str, Server],
    samples: dict[str, list[Sample]],
    opts: Options,
    workdir: Path,
) -> dict[str, dict[str, Any]]:
    """One open-loop run per app at half of H's median saturation rps (benchmarks.md §4)."""
    if "H" not in samples or not opts.fixed_s:
        return {}
    rate = round(statistics.median(s.rps for s in samples["H"]) / 2, 1)
    found: dict[str, dict[str, Any]] = {}
    for app in samples:
        saturation = statistics.median(s.rps for s in samples[app])
        if app not in ("H", "O") and saturation < rate:
            # Above its saturation rate an open loop only measures the queue growing, and
            # draining it took F and P 15-25 s per run: the budget goes to H and O (the guard).
            found[app] = {"rate": rate, "skipped": f"above its saturation ({saturation:.0f} rps)"}
            continue
        targets = _targets(scenario, app)
        found[app] = run_open_loop(
            servers[app].port,
            workdir / f"{scenario.name}-{app}.json",
            scenario.method,
            targets,
            rate=rate,
            duration_s=opts.fixed_s,
        )
        logger.info(
            "%s fixed %.0f rps %s: p50 %.1f ms, p99 %.1f ms",
            scenario.name,
            rate,
            app,
            found[app]["p50_ms"],
            found[app]["p99_ms"],
        )
    return found


def _check(scenario: scenarios.Scenario, servers: dict[str, Server], opts: Options) -> int:
    present = dataclasses.replace(scenario, apps=tuple(a for a in scenario.apps if a in servers))
    if scenario.method == "POST":
        return asyncio.run(check.check_creates(present, servers, opts.config))
    if scenario.expect_status is not None:
        return asyncio.run(check.check_refusals(present, servers))
    if scenario.requests and isinstance(scenario.requests[0], scenarios.GetQuery):
        return asyncio.run(check.check_gets(present, servers))
    return asyncio.run(check.check_reads(present, servers))


def _run_one(
    scenario: scenarios.Scenario,
    servers: dict[str, Server],
    opts: Options,
    outcome: Outcome,
    workdir: Path,
) -> None:
    """Check, then measure one scenario; ceilings and fixed-rate runs where it asks for them."""
    cfg = opts.config
    if scenario.same_plan and not cfg.is_sqlite:
        outcome.plans[scenario.name] = asyncio.run(plans.check_same_plan(cfg, scenario))
    outcome.checked[scenario.name] = _check(scenario, servers, opts)
    if scenario.db_settings and not cfg.is_sqlite:
        names = [name for name, _ in scenario.db_settings]
        outcome.settings[scenario.name] = asyncio.run(loader.show_settings(cfg, names))
    samples = _run_scenario(scenario, servers, opts, workdir)
    outcome.samples[scenario.name] = samples
    if scenario.ceiling and not cfg.is_sqlite:
        scripts = asyncio.run(ceiling.write_scripts(cfg, scenario, workdir))
        outcome.ceilings[scenario.name] = ceiling.run_pgbench(cfg, scripts)
    if scenario.fixed_rate:
        outcome.fixed[scenario.name] = _fixed_rate(scenario, servers, samples, opts, workdir)


@contextmanager
def _database_settings(cfg: BenchConfig, settings: tuple[tuple[str, str], ...]) -> Iterator[None]:
    """``ALTER DATABASE … SET`` for the scenarios that ask; reset afterwards, even on failure."""
    if not settings or cfg.is_sqlite:
        yield
        return
    asyncio.run(loader.alter_settings(cfg, settings))
    try:
        yield
    finally:
        asyncio.run(loader.reset_settings(cfg, [name for name, _ in settings]))


def run_suite(opts: Options) -> Outcome:
    """Load, start, check, measure; returns every sample (the report turns them into ratios)."""
    started = time.monotonic()
    cfg = opts.config
    every = scenarios.build(cfg.scale)
    asyncio.run(loader.ensure_loaded(cfg))
    asyncio.run(loader.remove_created(cfg))
    # A run killed while a scenario had the database's settings changed leaves them so.
    names = sorted({name for s in every for name, _ in s.db_settings})
    if names and not cfg.is_sqlite:
        asyncio.run(loader.reset_settings(cfg, names))
    outcome = Outcome()
    chosen = []
    for scenario in scenarios.select(every, opts.only):
        if scenario.pending:
            outcome.pending[scenario.name] = scenario.pending
        else:
            chosen.append(scenario)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        try:
            # The apps start once per group of scenarios sharing their database settings, so
            # every connection of every pool is opened under the settings it is measured with.
            for settings, group in itertools.groupby(chosen, key=lambda s: s.db_settings):
                with (
                    _database_settings(cfg, settings),
                    running(
                        opts.apps, env=cfg.env(), server=opts.server, sqlite=cfg.is_sqlite
                    ) as servers,
                ):
                    for scenario in group:
                        _run_one(scenario, servers, opts, outcome, Path(tmp))
        finally:
            asyncio.run(loader.remove_created(cfg))
    outcome.elapsed_s = time.monotonic() - started
    return outcome


def median_sample(samples: list[Sample]) -> dict[str, object]:
    """The reported figures: medians over the repetitions, plus the raw rps per run."""
    return {
        "rps": round(statistics.median(s.rps for s in samples), 1),
        "p50_ms": round(statistics.median(s.p50_ms for s in samples), 2),
        "p99_ms": round(statistics.median(s.p99_ms for s in samples), 2),
        "cpu_us_per_req": round(statistics.median(s.cpu_us_per_req for s in samples), 1),
        "runs_rps": [round(s.rps, 1) for s in samples],
        "runs_cpu_us_per_req": [round(s.cpu_us_per_req, 1) for s in samples],
        "errors": sum(s.errors for s in samples),
    }
