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
from types import SimpleNamespace

import asyncpg
import orjson
import pytest
from sqlalchemy.engine import make_url

from bench import check, data, loader, plans, report, run, scenarios
from bench.config import BenchConfig
from bench.load import LoadResult
from bench.run import Options, run_suite
from bench.servers import Server

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
# P answers ~100 rps on one core: 64 connections would queue ~0.6 s per request, beyond a
# 1-second run on a machine the rest of the suite is loading. A few prove the harness works.
SMOKE_CONNECTIONS = 4


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
        connections=SMOKE_CONNECTIONS,
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
        if "skipped" in fixed:  # F or P slower than half of H: not driven past saturation
            assert app in ("F", "P"), app
            assert block[app]["rps"] < fixed["rate"], app
            continue
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
        connections=SMOKE_CONNECTIONS,
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


@pytest.fixture
def pg_config() -> Iterator[BenchConfig]:
    if not PG_URL:
        pytest.skip("needs PostgreSQL (ESENSI_TEST_DATABASE_URL)")
    name = "bench_smoke_" + uuid.uuid4().hex[:10]
    url = make_url(str(PG_URL)).set(database=name).render_as_string(hide_password=False)
    cfg = BenchConfig(database_url=url, scale=data.TINY)
    yield cfg
    asyncio.run(loader.drop_database(cfg))


async def _setting(cfg: BenchConfig, name: str) -> str:
    conn = await asyncpg.connect(cfg.dsn)
    try:
        return str(await conn.fetchval(f"SHOW {name}"))
    finally:
        await conn.close()


async def _count(cfg: BenchConfig, sql: str) -> int:
    conn = await asyncpg.connect(cfg.dsn)
    try:
        return int(await conn.fetchval(sql))
    finally:
        await conn.close()


@pytest.mark.slow
@pytest.mark.postgres
def test_401_path_outbox_and_async_commit_variants_and_same_plan(
    pg_config: BenchConfig, tmp_path: Path
) -> None:
    only = "a2,b_401,c,c_outbox,c_async_commit"
    opts = Options(
        config=pg_config,
        only=only,
        warmup_s=1,
        duration_s=1,
        repetitions=1,
        fixed_s=0,
        connections=SMOKE_CONNECTIONS,
    )
    asyncio.run(loader.ensure_database(pg_config))
    server_default = asyncio.run(_setting(pg_config, "synchronous_commit"))

    outcome = run_suite(opts)
    targets = {s.name: s.targets for s in scenarios.build(data.TINY)}
    doc = report.document(opts, {"synchronous_commit": "on", "fsync": "on"}, outcome, targets)
    table = report.write(doc, directory=tmp_path).read_text()

    blocks = doc["scenarios"]
    for name in only.split(","):
        for app in scenarios.LIST_APPS:
            # b_401: every answer was a 401 (anything else counts as an error), as for the rest.
            assert blocks[name][app]["rps"] > 0, (name, app)
            assert blocks[name][app]["errors"] == 0, (name, app)
    assert blocks["c_outbox"]["c_outbox_over_c"] > 0
    assert blocks["c_outbox"]["target"] == {"c_outbox_over_c": 0.9}
    assert "met" in blocks["c_outbox"]
    # c_async_commit ran with synchronous_commit off, and the database got its default back.
    assert blocks["c_async_commit"]["db_settings"]["synchronous_commit"] == "off"
    assert asyncio.run(_setting(pg_config, "synchronous_commit")) == server_default
    # Rows created and mails queued by the run are removed afterwards.
    assert asyncio.run(_count(pg_config, "SELECT count(*) FROM outbox")) == 0
    products = asyncio.run(_count(pg_config, "SELECT count(*) FROM product"))
    assert products == data.TINY.products
    # a2's plans were compared before timing and recorded.
    assert set(doc["meta"]["same_plan"]["a2"]) == {"rows", "count"}
    assert blocks["a2"]["same_plan"]["requests"] == plans.SAMPLE
    assert "c_outbox ÷ c" in table
    assert "a2: H's and O's EXPLAIN shapes equal" in table


@pytest.mark.slow
@pytest.mark.postgres
def test_same_plan_check_aborts_when_the_plans_differ(
    pg_config: BenchConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    asyncio.run(loader.ensure_loaded(pg_config))
    a2 = scenarios.select(scenarios.build(data.TINY), "a2")[0]
    assert asyncio.run(plans.check_same_plan(pg_config, a2))["plans"]["count"]

    h_statements = plans.h_statements

    def joined_count(query: scenarios.ListQuery) -> dict[str, plans.Statement]:
        found = h_statements(query)
        sql, args = found["count"]
        # The same count through a join: a plan with a join node, unlike O's.
        joined = sql.replace("FROM product", "FROM product JOIN session s ON s.id = author_id")
        return {**found, "count": (joined, args)}

    monkeypatch.setattr(plans, "h_statements", joined_count)
    with pytest.raises(check.MismatchError, match="count plans of H and O differ"):
        asyncio.run(plans.check_same_plan(pg_config, a2))


def test_plan_shape_keeps_nodes_and_indexes_and_drops_costs() -> None:
    plan = {
        "Node Type": "Limit",
        "Startup Cost": 1.0,
        "Total Cost": 9.5,
        "Plan Rows": 20,
        "Plans": [
            {
                "Node Type": "Index Scan",
                "Parent Relationship": "Outer",
                "Relation Name": "product",
                "Index Name": "ix_product_published",
                "Total Cost": 3.0,
                "Plan Width": 80,
            }
        ],
    }
    assert plans.shape(plan) == {
        "Node Type": "Limit",
        "Plans": [
            {
                "Node Type": "Index Scan",
                "Parent Relationship": "Outer",
                "Relation Name": "product",
                "Index Name": "ix_product_published",
            }
        ],
    }
    assert plans.role("SELECT count(*) AS count_1 \nFROM product WHERE x") == "count"
    assert plans.role("SELECT id FROM product WHERE x ORDER BY id LIMIT $2 OFFSET $3") == "rows"
    assert plans.role("SELECT id, name FROM author WHERE id = ANY($1)") is None


def test_warm_up_repeats_while_the_app_answers_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A starved or still-importing app answers nothing in the first second: measuring it
    # then timed its start-up (a CI run once measured 0 rps for P).
    answered = iter([0, 0, 3])
    runs: list[tuple[float, int]] = []
    settled: list[str] = []

    def fake_wrk(base_url: str, script: Path, *, duration_s: float, connections: int) -> LoadResult:
        runs.append((duration_s, connections))
        return LoadResult(next(answered), duration_s, 0, 0, 1.0, 2.0)

    monkeypatch.setattr(run, "run_wrk", fake_wrk)
    monkeypatch.setattr(run, "_settle", lambda server: settled.append(server.app))
    server = Server(app="P", port=1, process=None)  # type: ignore[arg-type]
    run._warm_up(server, tmp_path / "a1-P.lua", 1.0, 4)
    assert runs == [(1.0, 4)] * 3
    assert settled == ["P"] * 3  # each run's leftovers finish before the next starts


def test_settle_waits_until_the_server_stops_using_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    readings = iter([1.0, 1.2, 1.3, 1.3, 9.9])
    monkeypatch.setattr(run, "process_tree", lambda pid: [pid])
    monkeypatch.setattr(run, "cpu_seconds", lambda pids: next(readings))
    monkeypatch.setattr(run, "SETTLE_TICK_S", 0.0)
    run._settle(Server(app="F", port=1, process=SimpleNamespace(pid=7)))  # type: ignore[arg-type]
    assert next(readings) == 9.9  # stopped at the first reading that did not move
