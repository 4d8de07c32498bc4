"""Scenario (f): seed (once), start H, O and F, check they agree, measure interleaved.

The measuring is the suite's own (``bench.run``): a warm-up, then wrk on the client core
against each app in turn (H O F, H O F, H O F), server CPU-µs per request from /proc.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.config import BenchConfig
from bench.load import write_script
from bench.run import Options, Sample, _measure
from bench.servers import running
from bench.store import check, explain, pages
from bench.store.config import StoreConfig
from bench.store.data import ensure_seeded

logger = logging.getLogger("bench.store")
APPS = ("H", "O", "F")
MODULES = {"H": "bench.store.h", "O": "esensi.app:create", "F": "bench.store.f"}
# O runs with esensi's defaults for production but for these (benchmarks.md: same pool; no
# access log; the outbox worker, which polls in the server process, off: no mail is sent).
O_ENV = {
    "ESENSI_ENV": "production",
    "ESENSI_AUTH__SECRET_KEY": "bench-secret-key-of-at-least-32-bytes!!",
    "ESENSI_MAIL__WORKER": "false",
}


@dataclass(slots=True)
class StoreOutcome:
    samples: dict[str, dict[str, list[Sample]]] = field(default_factory=dict)
    checked: dict[str, int] = field(default_factory=dict)
    targets: dict[str, dict[str, float]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    explain: dict[str, Any] = field(default_factory=dict)
    seed_s: float | None = None
    elapsed_s: float = 0.0


def _options(cfg: StoreConfig, opts: Options) -> Options:
    # bench.run pins the database's backends through Options.config (its dsn and name).
    return Options(
        config=BenchConfig(database_url=cfg.database_url),
        warmup_s=opts.warmup_s,
        duration_s=opts.duration_s,
        repetitions=opts.repetitions,
        connections=opts.connections,
    )


def run_store(cfg: StoreConfig, opts: Options, only: set[str] | None = None) -> StoreOutcome:
    """Seed if needed, then check and measure each page; ``only`` keeps pages by name."""
    started = time.monotonic()
    outcome = StoreOutcome(seed_s=asyncio.run(ensure_seeded(cfg)))
    chosen = [p for p in asyncio.run(pages.build(cfg)) if not only or p.name in only]
    outcome.explain = asyncio.run(explain.search_plans(cfg))
    measured = _options(cfg, opts)
    env = {**cfg.env(), **O_ENV}
    with (
        tempfile.TemporaryDirectory(prefix="bench-f-") as tmp,
        running(APPS, env=env, modules=MODULES) as servers,
    ):
        for page in chosen:
            outcome.checked[page.name] = asyncio.run(check.check_page(page, servers))
            outcome.targets[page.name] = page.targets
            outcome.titles[page.name] = page.title
            targets = [(url, None, {}) for url in page.urls]
            scripts = {
                app: write_script(Path(tmp) / f"{page.name}-{app}.lua", "GET", targets, None)
                for app in page.apps
            }
            samples: dict[str, list[Sample]] = {app: [] for app in page.apps}
            for rep in range(opts.repetitions):
                for app in page.apps:
                    sample = _measure(servers[app], scripts[app], measured, warm=rep == 0)
                    logger.info(
                        "%s rep %d %s: %.0f rps, %.0f cpu-us/req",
                        page.name,
                        rep + 1,
                        app,
                        sample.rps,
                        sample.cpu_us_per_req,
                    )
                    samples[app].append(sample)
            outcome.samples[page.name] = samples
    outcome.elapsed_s = time.monotonic() - started
    return outcome
