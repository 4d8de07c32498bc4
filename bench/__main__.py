"""``python -m bench``: run the suite and write the result files (see bench/README.md)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys

import asyncpg

from bench import report, scenarios
from bench.config import DEFAULT_SQLITE_URL, BenchConfig
from bench.run import Options, run_suite
from bench.store import report as store_report
from bench.store.config import StoreConfig
from bench.store.run import run_store

# The embedded suite: F runs for information only; H is the hand-written aiosqlite app.
SQLITE_SCENARIOS = "a1,b,c"
SQLITE_TARGET = {"cpu_o_over_h": 0.70}


async def _db_settings(cfg: BenchConfig) -> dict[str, str]:
    if cfg.is_sqlite:
        return {"synchronous_commit": "sqlite synchronous=NORMAL (WAL)", "fsync": "n/a"}
    conn = await asyncpg.connect(cfg.dsn)
    try:
        return {
            "synchronous_commit": str(await conn.fetchval("SHOW synchronous_commit")),
            "fsync": str(await conn.fetchval("SHOW fsync")),
        }
    finally:
        await conn.close()


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--only", default=os.environ.get("ONLY") or None)
    parser.add_argument(
        "--server", choices=("uvicorn", "granian"), default=os.environ.get("SERVER") or "uvicorn"
    )
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--repetitions", type=int, default=3)
    return parser.parse_args(argv)


def _store(args: argparse.Namespace, pages: set[str]) -> None:
    """Scenario (f) (``ONLY=f``, or single pages: ``ONLY=f-browse,f-title``): its own database,
    apps and result files (``bench/results/*-store-postgresql.*``)."""
    opts = Options(
        config=BenchConfig(),
        warmup_s=args.warmup,
        duration_s=args.duration,
        repetitions=args.repetitions,
    )
    cfg = StoreConfig.from_env()
    outcome = run_store(cfg, opts, None if "f" in pages else pages)
    path = store_report.write(store_report.document(cfg, opts, outcome))
    sys.stdout.write(path.read_text())


def main(argv: list[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("rlib.access").setLevel(logging.WARNING)  # O in-process (same plan)
    names = {n.strip() for n in (args.only or "").split(",") if n.strip()}
    store_pages = {n for n in names if n == "f" or n.startswith("f-")}
    if store_pages and args.backend == "postgresql":
        _store(args, store_pages)
        if not names - store_pages:
            return 0
        args.only = ",".join(sorted(names - store_pages))
    if args.backend == "sqlite":
        cfg = BenchConfig(database_url=os.environ.get("BENCH_SQLITE_URL", DEFAULT_SQLITE_URL))
        apps: tuple[str, ...] = ("H", "O", "F")
        args.only = args.only or SQLITE_SCENARIOS
    else:
        cfg = BenchConfig.from_env()
        apps = scenarios.LIST_APPS
    opts = Options(
        config=cfg,
        apps=apps,
        only=args.only,
        server=args.server,
        warmup_s=args.warmup,
        duration_s=args.duration,
        repetitions=args.repetitions,
    )
    outcome = run_suite(opts)
    targets = {s.name: s.targets for s in scenarios.build(cfg.scale)}
    if cfg.is_sqlite:
        targets = dict.fromkeys(SQLITE_SCENARIOS.split(","), SQLITE_TARGET)
    doc = report.document(opts, asyncio.run(_db_settings(cfg)), outcome, targets)
    path = report.write(doc)
    sys.stdout.write(path.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
