"""The battery report's table: one row per check, naming the parameter of a repeated test."""

from __future__ import annotations

from bench.battery.__main__ import _table


def _check(test: str, metric: str = "owned rows: not a missing id") -> dict[str, object]:
    return {
        "id": "Z1",
        "metric": metric,
        "target": "= 0",
        "measured": "0 of 10",
        "passed": True,
        "test": test,
    }


def test_a_check_recorded_once_per_backend_names_the_backend() -> None:
    rows = _table([_check("test_owned[sqlite]"), _check("test_owned[postgresql]")])
    assert rows[2] == "| Z1 | owned rows: not a missing id [sqlite] | = 0 | 0 of 10 | pass |"
    assert rows[3].startswith("| Z1 | owned rows: not a missing id [postgresql] |")


def test_a_parameter_the_metric_already_names_is_not_repeated() -> None:
    [_, _, row] = _table([_check("test_pg[fast]", metric="pg stop -m fast: lost")])
    assert "[fast]" not in row
    [_, _, plain] = _table([_check("test_plain")])
    assert "[" not in plain
