"""The one bench test in the suite: the harness runs end to end, about a second per app.

It loads the tiny data set into a throwaway database, starts every comparator, runs the
correctness check and one short measured wrk run each, and writes the result files. It says
nothing about speed; that is measured with ``make bench``.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sqlalchemy.engine import make_url

from bench import check, data, loader, report, scenarios
from bench.config import BenchConfig
from bench.run import Options, run_suite

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


@pytest.fixture(params=BACKENDS)
def bench_config(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BenchConfig]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'bench.sqlite3'}"
    else:
        name = "bench_smoke_" + uuid.uuid4().hex[:10]
        url = make_url(str(PG_URL)).set(database=name).render_as_string(hide_password=False)
    cfg = BenchConfig(database_url=url, scale=data.TINY)
    yield cfg
    asyncio.run(loader.drop_database(cfg))


@pytest.mark.slow
def test_harness_measures_every_app_and_writes_results(
    bench_config: BenchConfig, tmp_path: Path
) -> None:
    apps = ("H", "O", "F") if bench_config.is_sqlite else scenarios.LIST_APPS
    opts = Options(
        config=bench_config,
        apps=apps,
        only="a1",
        warmup_s=1,  # a loaded machine can spend the first second starting up
        duration_s=1,
        repetitions=1,
        fixed_s=1,
    )

    outcome = run_suite(opts)
    targets = {"a1": {"cpu_o_over_h": 0.7}}
    doc = report.document(opts, {"synchronous_commit": "on", "fsync": "on"}, outcome, targets)
    table = report.write(doc, directory=tmp_path)

    rotation = scenarios.select(scenarios.build(data.TINY), "a1")[0].requests
    assert outcome.checked["a1"] == min(check.SAMPLE, len(rotation))
    block = doc["scenarios"]["a1"]
    for app in apps:
        assert block[app]["rps"] > 0, app
        assert block[app]["cpu_us_per_req"] > 0, app
        assert block[app]["errors"] == 0, app
    assert block["cpu_o_over_h"] > 0
    assert "met" in block
    # The open-loop run at half of H's rps: every app answered every request, p99 ≥ p50.
    assert block["fixed_rate_rps"] == pytest.approx(block["H"]["rps"] / 2, abs=0.1)
    for app in apps:
        fixed = block[app]["fixed_rate"]
        assert (fixed["sent"], fixed["errors"]) == (max(1, int(fixed["rate"])), 0), app
        assert 0 < fixed["p50_ms"] <= fixed["p99_ms"], app
    assert "fixed_p99_o_over_h" in block
    if bench_config.backend == "postgresql":  # pgbench with H's exact SQL: the DB's ceiling
        assert block["pgbench"]["tps"] > 0
        assert block["pgbench"]["scripts"] == min(20, len(rotation))
    latest = "latest.json" if bench_config.backend == "postgresql" else "latest-sqlite.json"
    assert orjson.loads((tmp_path / latest).read_bytes())["meta"]["backend"] == bench_config.backend
    assert "| a1 | O |" in table.read_text()
    assert "Fixed-rate latency" in table.read_text()


@pytest.mark.slow
def test_authenticated_get_and_estimated_count_run_without_errors(
    bench_config: BenchConfig,
) -> None:
    # b's wrk script must carry the bearer header: a missing one shows up as 401s (errors).
    apps = ("H", "O", "F") if bench_config.is_sqlite else scenarios.LIST_APPS
    only = "b" if bench_config.is_sqlite else "a1-all-estimated,b"
    opts = Options(
        config=bench_config,
        apps=apps,
        only=only,
        warmup_s=1,  # a loaded machine can spend the first second starting up
        duration_s=1,
        repetitions=1,
        fixed_s=0,
    )

    outcome = run_suite(opts)

    assert set(outcome.checked) == set(only.split(","))
    assert not outcome.pending
    for name, per_app in outcome.samples.items():
        expected = scenarios.select(scenarios.build(data.TINY), name)[0].apps
        assert set(per_app) == {app for app in expected if app in apps}, name
        for app, samples in per_app.items():
            assert samples[0].rps > 0, (name, app)
            assert samples[0].errors == 0, (name, app)
