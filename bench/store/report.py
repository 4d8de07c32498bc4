"""Scenario (f)'s result files: ``bench/results/<date>-<commit>-store-postgresql.{json,md}``
and ``latest-store.json``; per page the medians of H, O and F, and the CPU ratios."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path
from typing import Any

import orjson

from bench import report
from bench.run import Options
from bench.servers import CLIENT_CORE, SERVER_CORE
from bench.store.config import POOL_SIZE, StoreConfig
from bench.store.run import StoreOutcome

_PACKAGES = ("rlib", "esensi", "starlette", "fastapi", "sqlalchemy", "asyncpg", "pydantic")


def document(cfg: StoreConfig, opts: Options, outcome: StoreOutcome) -> dict[str, Any]:
    """The JSON document of one run of scenario (f)."""
    busy = [s.client_core_busy for per in outcome.samples.values() for r in per.values() for s in r]
    meta = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": report._git("rev-parse", "--short", "HEAD"),
        "dirty": bool(report._git("status", "--porcelain", "--untracked-files=no")),
        "backend": "postgresql",
        "server": "uvicorn+httptools+uvloop",
        "versions": {"python": platform.python_version()}
        | {p: report._version(p) for p in _PACKAGES},
        "cpu_model": report._cpu_model(),
        "cores": os.cpu_count(),
        "pinning": {"server": SERVER_CORE, "wrk": CLIENT_CORE, "postgres_backends": CLIENT_CORE},
        "pool_size": POOL_SIZE,
        "wrk": f"-t1 -c{opts.connections}",
        "warmup_s": opts.warmup_s,
        "duration_s": opts.duration_s,
        "repetitions": opts.repetitions,
        "client_core_busy_max": round(max(busy, default=0.0), 3),
        "client_core_saturated": max(busy, default=0.0) > 0.9,
        "data": f"esensi seed --demo --scale {cfg.scale}",
        "seed_s": None if outcome.seed_s is None else round(outcome.seed_s, 1),
        "checked_requests": outcome.checked,
        "elapsed_s": round(outcome.elapsed_s, 1),
    }
    blocks = {}
    for name, samples in outcome.samples.items():
        block = report.scenario_block(samples, outcome.targets.get(name, {}))
        block["title"] = outcome.titles.get(name)
        blocks[name] = block
    return {"meta": meta, "scenarios": blocks, "search_explain": outcome.explain}


def _cell(value: object) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def markdown(doc: dict[str, Any]) -> str:
    m = doc["meta"]
    lines = [
        f"# bench (f): esensi store and chapter pages — {m['date']} ({m['commit']})",
        "",
        f"Data: `{m['data']}`; uvicorn, 1 worker, pool {m['pool_size']}, wrk {m['wrk']}, "
        f"{m['repetitions']} x {m['duration_s']} s interleaved; client core busy max "
        f"{m['client_core_busy_max']} (saturated: {m['client_core_saturated']}).",
        "",
        "| page | H rps | O rps | F rps | H cpu-µs | O cpu-µs | F cpu-µs "
        "| cpu O/H | cpu O/F | target | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, b in doc["scenarios"].items():
        cells = [b.get(app, {}).get("rps") for app in ("H", "O", "F")]
        cpu = [b.get(app, {}).get("cpu_us_per_req") for app in ("H", "O", "F")]
        target = ", ".join(f"{k} ≥ {v:g}" for k, v in b.get("target", {}).items())
        lines.append(
            f"| {name} | {' | '.join(_cell(c) for c in cells)} | "
            f"{' | '.join(_cell(c) for c in cpu)} | {_cell(b.get('cpu_o_over_h'))} | "
            f"{_cell(b.get('cpu_o_over_f'))} | {target} | {'✓' if b.get('met') else '✗'} |"
        )
    lines += ["", "Search at this scale (EXPLAIN ANALYZE of the count and the page, per term):", ""]
    lines += ["| term | statement | indexes | rows | ms |", "|---|---|---|---|---|"]
    for term, plans in doc["search_explain"].get("terms", {}).items():
        for what, plan in plans.items():
            lines.append(
                f"| {term} | {what} | {', '.join(plan['indexes'])} | {plan['rows']} | "
                f"{plan['execution_ms']} |"
            )
    return "\n".join(lines) + "\n"


def write(doc: dict[str, Any], *, directory: Path = report.RESULTS) -> Path:
    """Write the JSON and Markdown of the run and refresh ``latest-store.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    m = doc["meta"]
    stem = f"{m['date'][:10]}-{m['commit'] or 'nocommit'}-store-postgresql"
    raw = orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
    (directory / f"{stem}.json").write_bytes(raw)
    (directory / f"{stem}.md").write_text(markdown(doc))
    (directory / "latest-store.json").write_bytes(raw)
    return directory / f"{stem}.md"
