"""Scenario (e)'s harness: the sink counts exactly-once delivery, and a short run works end to end.

The end-to-end test drains a few messages through a real SMTP sink on PostgreSQL (the claim
uses ``FOR UPDATE SKIP LOCKED``); it says nothing about speed.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from sqlalchemy.engine import make_url

from bench import data, loader
from bench.config import BenchConfig
from bench.mail import check_delivered, measure, scenario_block, with_ratios
from bench.mail_report import write
from bench.mail_sink import CountingHandler

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")


class _FakeSink:
    def __init__(self, handler: CountingHandler) -> None:
        self.handler = handler

    def ask(self, command: str) -> dict[str, Any]:
        assert command == "stats"
        return self.handler.stats()


def _deliver(handler: CountingHandler, message_id: str) -> None:
    content = f"From: a@example.com\r\nMessage-ID: {message_id}\r\n\r\nbody\r\n".encode()
    reply = asyncio.run(handler.handle_DATA(None, None, SimpleNamespace(content=content)))
    assert reply == "250 OK"


def test_check_passes_only_when_each_message_arrived_once() -> None:
    handler = CountingHandler()
    for n in range(3):
        _deliver(handler, f"<m{n}@bench.test>")
    check_delivered(_FakeSink(handler), [f"<m{n}@bench.test>" for n in range(3)])

    _deliver(handler, "<m1@bench.test>")
    with pytest.raises(RuntimeError, match="once each"):
        check_delivered(_FakeSink(handler), [f"<m{n}@bench.test>" for n in range(3)])


def test_check_rejects_other_messages_of_the_same_count() -> None:
    handler = CountingHandler()
    _deliver(handler, "<m0@bench.test>")
    _deliver(handler, "<other@bench.test>")
    with pytest.raises(RuntimeError, match="other Message-IDs"):
        check_delivered(_FakeSink(handler), ["<m0@bench.test>", "<m1@bench.test>"])


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="scenario (e) runs on PostgreSQL")
def test_scenario_e_drains_every_message_once_and_writes_results(tmp_path: Path) -> None:
    name = "bench_mail_smoke_" + uuid.uuid4().hex[:10]
    url = make_url(str(PG_URL)).set(database=name).render_as_string(hide_password=False)
    cfg = BenchConfig(database_url=url, scale=data.TINY)
    try:
        samples, drill = asyncio.run(measure(cfg, 25, 1, kill_count=150))
    finally:
        asyncio.run(loader.drop_database(cfg))

    assert drill is not None
    assert 50 <= drill.delivered_before_kill < 150  # killed mid-drain, at about a third
    assert drill.lost_on_kill == 0
    assert drill.duplicates <= 20  # at most the batch in flight
    block = scenario_block(samples, drill)
    assert (block["lost_on_kill"], block["duplicates"]) == (0, drill.duplicates)
    for app in ("B", "O", "O2"):
        assert block[app]["msgs_per_s"] > 0, app
        assert block[app]["cpu_us_per_msg"] > 0, app
    assert block["O"]["enqueue_msgs_per_s"] > 0
    # The sink's own CPU is read around every drain. One drain of 25 messages can cost the sink
    # (or the backends) less than one clock tick, so a sender's median may be absent; over all
    # the drains together it is not (a reading that was never wired would stay zero).
    drains = [sample for runs in samples.values() for sample in runs]
    assert any(sample.sink_cpu_us_per_msg > 0 for sample in drains)
    for app in ("B", "O", "O2"):
        assert block[app]["client_core_busy_pct"] > 0, app
    assert isinstance(block["o2_sink_saturated"], bool)
    assert block["o_over_b"] > 0
    assert block["o2_over_b"] > 0
    assert block["o2_over_o"] > 0
    doc = {
        "meta": {
            "date": "2026-01-01T00:00:00+00:00",
            "commit": "abc1234",
            "dirty": False,
            "backend": "postgresql",
            "cpu_model": "test",
            "cores": 2,
            "pinning": {},
            "messages": 25,
            "repetitions": 1,
            "batch_size": 20,
            "synchronous_commit": "on",
            "fsync": "on",
            "versions": {},
        },
        "scenarios": {"e": block},
    }
    table = write(doc, directory=tmp_path)
    assert "| e | " in table
    assert orjson.loads((tmp_path / "latest-mail.json").read_bytes())["scenarios"]["e"]["O"]


def _rates(o2_over_o: float, sink_pct: float, db_pct: float) -> dict[str, Any]:
    def sender(rate: float) -> dict[str, float]:
        return {
            "msgs_per_s": rate,
            "cpu_us_per_msg": 1000.0,
            "sink_busy_pct": sink_pct,
            "db_busy_pct": db_pct,
            "client_core_busy_pct": 95.0,  # neighbours' load: reported, waives nothing
        }

    return {"B": sender(100.0), "O": sender(100.0), "O2": sender(100.0 * o2_over_o)}


def test_two_connections_target_is_waived_only_when_our_client_core_processes_saturate() -> None:
    busy = with_ratios(_rates(1.3, sink_pct=70.0, db_pct=25.0))
    assert (busy["o2_sink_saturated"], busy["client_core_saturated"], busy["met"]) == (
        True,
        True,
        True,
    )
    idle = with_ratios(_rates(1.3, sink_pct=20.0, db_pct=20.0))
    assert (idle["o2_sink_saturated"], idle["met"]) == (False, False)
    scaled = with_ratios(_rates(1.7, sink_pct=20.0, db_pct=20.0))
    assert scaled["met"] is True
