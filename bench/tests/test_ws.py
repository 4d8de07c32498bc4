"""Scenario (d) runs end to end on a few sockets: both apps deliver every message, and the
results carry the ratio and the memory figure."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import orjson
import pytest

from bench import ws


def test_b_and_o_frames_are_the_same_bytes() -> None:
    event = orjson.loads(ws.o_event(7, 1.5))
    assert event["k"] == "new"
    assert orjson.dumps({"action": "new-notif", "notif": event["n"]}).decode() == (
        ws.b_frame(7, 1.5)
    )


def test_scenario_d_measures_both_apps_and_writes_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ws, "RESULTS", tmp_path)
    args = argparse.Namespace(sizes=[20], seconds=0.5, fixed_s=0.5, window=8, repetitions=1)
    scenario = asyncio.run(ws.run(args))
    row = scenario["N20"]
    for app in ("B", "O"):
        assert row[app]["deliveries_per_s"] > 0
        assert row[app]["messages"] > 0
    assert row["o_over_b"] > 0
    written = ws.write(scenario, args)
    assert "| 20 |" in written.read_text()
    assert orjson.loads((tmp_path / "latest-ws.json").read_bytes())["scenarios"]["d"] == scenario
