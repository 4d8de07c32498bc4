"""Scenario (f) end to end at scale 1: the esensi schema and demo data in a throwaway
PostgreSQL database, H, O (esensi itself) and F started, every page's correctness check, one
short wrk run per app, and the result files. It proves the harness works, not speed."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sqlalchemy.engine import make_url

from bench.config import BenchConfig
from bench.run import Options
from bench.store import report
from bench.store.check import _first_difference
from bench.store.config import StoreConfig
from bench.store.data import drop
from bench.store.run import run_store

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(not PG_URL, reason="scenario (f) runs on PostgreSQL only")


@pytest.fixture
def store_config() -> Iterator[StoreConfig]:
    name = "bench_store_" + uuid.uuid4().hex[:10]
    url = make_url(str(PG_URL)).set(database=name).render_as_string(hide_password=False)
    cfg = StoreConfig(database_url=url, scale=1)
    yield cfg
    asyncio.run(drop(cfg))


@pytest.mark.slow
def test_every_page_agrees_and_is_measured(store_config: StoreConfig, tmp_path: Path) -> None:
    opts = Options(
        config=BenchConfig(),  # unused: scenario (f) brings its own database
        warmup_s=1,
        duration_s=1,
        repetitions=1,
        connections=4,
    )

    outcome = run_store(store_config, opts)
    doc = report.document(store_config, opts, outcome)
    table = report.write(doc, directory=tmp_path)

    assert outcome.seed_s is not None  # seeded here, marked done for the next run
    assert set(outcome.checked) == {"f-browse", "f-product", "f-search", "f-title"}
    assert all(count > 0 for count in outcome.checked.values())
    for name, block in doc["scenarios"].items():
        apps = ("H", "O", "F") if name in ("f-browse", "f-product") else ("H", "O")
        for app in apps:
            assert block[app]["rps"] > 0, (name, app)
            assert block[app]["errors"] == 0, (name, app)
        assert block["cpu_o_over_h"] > 0
    for plans in doc["search_explain"]["terms"].values():
        assert plans["count"]["nodes"]
        assert plans["rows"]["nodes"]
    latest = orjson.loads((tmp_path / "latest-store.json").read_bytes())
    assert latest["meta"]["data"] == "esensi seed --demo --scale 1"
    assert "| f-title |" in table.read_text()


def test_a_difference_is_named_by_its_path() -> None:
    left = {"data": [{"id": 1, "author": {"name": "A"}}]}
    right = {"data": [{"id": 1, "author": {"name": "B"}}]}

    assert _first_difference(left, right) == ".data[0].author.name: 'A' != 'B'"
