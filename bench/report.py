"""Result files: ``bench/results/<date>-<commit>-<backend>.json`` + ``.md``, and ``latest.json``."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
import shutil
import subprocess
from pathlib import Path
from typing import Any

import orjson

from bench.run import Options, Outcome, median_sample
from bench.servers import CLIENT_CORE, ROOT, SERVER_CORE

RESULTS = ROOT / "bench" / "results"
_PACKAGES = (
    "rlib",
    "starlette",
    "fastapi",
    "fastcrud",
    "sqlalchemy",
    "asyncpg",
    "aiosqlite",
    "pydantic",
    "orjson",
    "uvicorn",
    "granian",
)
_RATIOS = (("H", "o_over_h"), ("F", "o_over_f"), ("P", "o_over_p"))


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def meta(opts: Options, db_settings: dict[str, str], outcome: Outcome) -> dict[str, Any]:
    busy = [
        s.client_core_busy for per in outcome.samples.values() for ss in per.values() for s in ss
    ]
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "backend": opts.config.backend,
        "server": "granian" if opts.server == "granian" else "uvicorn+httptools+uvloop",
        "versions": {"python": platform.python_version()} | {p: _version(p) for p in _PACKAGES},
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "pinning": {
            "server": SERVER_CORE,
            "wrk": CLIENT_CORE,
            "postgres_backends": CLIENT_CORE,
            "taskset": bool(shutil.which("taskset")),
        },
        **db_settings,
        "pool_size": 8,
        "wrk": f"-t1 -c{opts.connections}",
        "fixed_rate": {
            "client": "bench.openloop (asyncio, uvloop), pinned like wrk",
            "rate": "half of H's median closed-loop rps",
            "duration_s": opts.fixed_s,
        },
        "warmup_s": opts.warmup_s,
        "duration_s": opts.duration_s,
        "repetitions": opts.repetitions,
        "client_core_busy_max": round(max(busy, default=0.0), 3),
        "client_core_saturated": max(busy, default=0.0) > 0.9,
        "scale": opts.config.scale.key,
        "checked_requests": outcome.checked,
        # EXPLAIN shapes of H's and O's rows and count statements were equal (bench/plans.py).
        "same_plan": {name: found["plans"] for name, found in outcome.plans.items()},
        "elapsed_s": round(outcome.elapsed_s, 1),
        "pending": outcome.pending,
    }


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def scenario_block(
    samples: dict[str, list[Any]],
    targets: dict[str, float],
    fixed: dict[str, dict[str, Any]] | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Medians per app, O's rps and CPU ratios against each comparator, targets and verdict;
    with ``fixed``, each app's open-loop latency and O's p99 over H's at that rate; ``extra``
    (ratios against another scenario) is there before the targets are judged."""
    block: dict[str, Any] = {app: median_sample(runs) for app, runs in samples.items()}
    block.update(extra or {})
    for app, run in (fixed or {}).items():
        block[app]["fixed_rate"] = run
    if fixed and "H" in fixed and "O" in fixed:
        block["fixed_rate_rps"] = fixed["H"]["rate"]
        # benchmarks.md §6 guard rail: O's p99 at half of H's rate ≤ 1.5x H's p99 there.
        block["fixed_p99_o_over_h"] = _ratio(fixed["O"]["p99_ms"], fixed["H"]["p99_ms"])
        block["fixed_p99_guard_met"] = (block["fixed_p99_o_over_h"] or 0) <= 1.5
    o = block.get("O")
    for app, key in _RATIOS:
        other = block.get(app)
        if o is None or other is None:
            continue
        block[key] = _ratio(o["rps"], other["rps"])
        # CPU ratio: the comparator's CPU-us per request over O's (higher is better for O).
        block["cpu_" + key] = _ratio(other["cpu_us_per_req"], o["cpu_us_per_req"])
    if targets:
        block["target"] = targets
        block["met"] = all((block.get(k) or 0) >= v for k, v in targets.items())
    return block


def against_c(outcome: Outcome, name: str) -> dict[str, Any]:
    """A variant of c (c_outbox, c_async_commit) against c itself, per app, on median rps and
    CPU-µs: ``<name>_over_c`` is the variant's rps over c's (0.9: 10% slower), ``cpu_…`` c's
    CPU-µs over the variant's. Empty when c or the variant did not run."""
    if name == "c" or not name.startswith("c_") or "c" not in outcome.samples:
        return {}
    base = {app: median_sample(runs) for app, runs in outcome.samples["c"].items()}
    found: dict[str, Any] = {}
    for app, runs in outcome.samples[name].items():
        if app not in base:
            continue
        mine = median_sample(runs)
        suffix = "" if app == "O" else f"_{app.lower()}"
        found[f"{name}_over_c{suffix}"] = _ratio(mine["rps"], base[app]["rps"])
        found[f"cpu_{name}_over_c{suffix}"] = _ratio(
            base[app]["cpu_us_per_req"], mine["cpu_us_per_req"]
        )
    return found


def document(
    opts: Options,
    db_settings: dict[str, str],
    outcome: Outcome,
    targets: dict[str, dict[str, float]],
) -> dict[str, Any]:
    """The JSON document of one run."""
    blocks = {}
    for name, samples in outcome.samples.items():
        block = scenario_block(
            samples, targets.get(name, {}), outcome.fixed.get(name), against_c(outcome, name)
        )
        if name in outcome.ceilings:
            block["pgbench"] = outcome.ceilings[name]
        if name in outcome.settings:
            block["db_settings"] = outcome.settings[name]
        if name in outcome.plans:
            block["same_plan"] = outcome.plans[name]
        blocks[name] = block
    return {"meta": meta(opts, db_settings, outcome), "scenarios": blocks}


def _cell(value: object) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def markdown(doc: dict[str, Any]) -> str:
    """The table: the meta block on top, then one row per scenario."""
    m = doc["meta"]
    lines = [
        f"# Bench {m['backend']}, {m['date']}, commit {m['commit']}"
        + (" (uncommitted changes)" if m["dirty"] else ""),
        "",
        f"- server: {m['server']}; CPU: {m['cpu_model']} ({m['cores']} cores)",
        f"- pinning: {m['pinning']}",
        f"- synchronous_commit: {m.get('synchronous_commit')}; fsync: {m.get('fsync')}; "
        f"pool: {m['pool_size']}; wrk {m['wrk']}; warm-up {m['warmup_s']} s, "
        f"{m['duration_s']} s x {m['repetitions']} (median)",
        f"- client core busy (max): {m['client_core_busy_max']}; "
        f"saturated: {m['client_core_saturated']}",
        f"- versions: {', '.join(f'{k} {v}' for k, v in m['versions'].items() if v)}",
        f"- not run yet: {m['pending'] or 'none'}",
        "",
        "| scenario | app | rps | p50 ms | p99 ms | CPU-µs/req |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, block in doc["scenarios"].items():
        for app in ("H", "O", "F", "P"):
            if app in block:
                r = block[app]
                lines.append(
                    f"| {name} | {app} | {_cell(r['rps'])} | {_cell(r['p50_ms'])} | "
                    f"{_cell(r['p99_ms'])} | {_cell(r['cpu_us_per_req'])} |"
                )
        if "tps" in block.get("pgbench", {}):
            # The database alone, H's exact SQL: the ceiling no app can pass.
            lines.append(
                f"| {name} | pgbench (DB ceiling) | {_cell(block['pgbench']['tps'])} | - | - | - |"
            )
    lines += [
        "",
        "| scenario | O/H rps | O/F rps | O/P rps | cpu O/H | cpu O/F | cpu O/P | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, block in doc["scenarios"].items():
        ratios = [
            _cell(block.get(k))
            for k in (
                "o_over_h",
                "o_over_f",
                "o_over_p",
                "cpu_o_over_h",
                "cpu_o_over_f",
                "cpu_o_over_p",
            )
        ]
        target = ", ".join(f"{k} ≥ {v:g}" for k, v in block.get("target", {}).items()) or "-"
        met = {True: "✓", False: "✗"}.get(block.get("met"), "-")  # type: ignore[arg-type]
        lines.append(f"| {name} | {' | '.join(ratios)} | {target} | {met} |")
    return "\n".join(lines + _variants(doc) + _fixed_rate_table(doc)) + "\n"


def _variants(doc: dict[str, Any]) -> list[str]:
    """c's variants against c (per app), the database settings they ran under, and the
    same-plan verdicts."""
    lines = []
    for name, block in doc["scenarios"].items():
        pairs = [
            f"{app} {_cell(block.get(f'{name}_over_c{sfx}'))} "
            f"(cpu {_cell(block.get(f'cpu_{name}_over_c{sfx}'))})"
            for app, sfx in (("O", ""), ("H", "_h"), ("F", "_f"), ("P", "_p"))
            if f"{name}_over_c{sfx}" in block
        ]
        if pairs:
            settings = block.get("db_settings")
            lines.append(
                f"- {name} ÷ c, rps (cpu): {', '.join(pairs)}"
                + (f"; database settings: {settings}" if settings else "")
            )
    for name, found in doc["meta"].get("same_plan", {}).items():
        shapes = ", ".join(f"{kind}: {len(plans)} plan(s)" for kind, plans in found.items())
        lines.append(f"- {name}: H's and O's EXPLAIN shapes equal ({shapes})")
    return ["", *lines] if lines else []


def _fixed_rate_table(doc: dict[str, Any]) -> list[str]:
    """p50/p99 of the open-loop run at half of H's rps, per app (closed-loop figures hide
    queueing); the guard is O's p99 ≤ 1.5x H's."""
    lines = [
        "",
        "Fixed-rate latency (open loop at half of H's closed-loop rps; ms):",
        "",
        "| scenario | rate | H p50/p99 | O p50/p99 | F p50/p99 | P p50/p99 | p99 O/H | ≤ 1.5 |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    rows = 0
    for name, block in doc["scenarios"].items():
        if "fixed_rate_rps" not in block:
            continue
        cells = []
        for app in ("H", "O", "F", "P"):
            run = block.get(app, {}).get("fixed_rate")
            if run and "skipped" in run:
                cells.append("over capacity")
            else:
                cells.append(f"{_cell(run['p50_ms'])} / {_cell(run['p99_ms'])}" if run else "-")
        guard = "✓" if block["fixed_p99_guard_met"] else "✗"
        lines.append(
            f"| {name} | {_cell(block['fixed_rate_rps'])} | {' | '.join(cells)} | "
            f"{_cell(block['fixed_p99_o_over_h'])} | {guard} |"
        )
        rows += 1
    return lines if rows else []


def write(doc: dict[str, Any], *, directory: Path = RESULTS) -> Path:
    """Write the JSON and Markdown of a run and refresh ``latest[-sqlite].json``."""
    directory.mkdir(parents=True, exist_ok=True)
    m = doc["meta"]
    stem = f"{m['date'][:10]}-{m['commit'] or 'nocommit'}-{m['backend']}"
    raw = orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
    (directory / f"{stem}.json").write_bytes(raw)
    (directory / f"{stem}.md").write_text(markdown(doc))
    latest = "latest.json" if m["backend"] == "postgresql" else "latest-sqlite.json"
    (directory / latest).write_bytes(raw)
    return directory / f"{stem}.md"
