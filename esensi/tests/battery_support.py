"""The battery's record of checks: one line per check, ``ID | metric | target | measured | pass``.

Every battery test runs in CI at a small size and, under ``make battery``
(``ESENSI_BATTERY=report``), at the report size. A check is recorded *before* it is asserted, so
the report shows a failing line with its measured figure instead of losing it to the traceback.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

REPORT_ENV = "ESENSI_BATTERY"
OUT_ENV = "ESENSI_BATTERY_OUT"


def report_run() -> bool:
    """True under ``make battery``: run the long sizes."""
    return os.environ.get(REPORT_ENV) == "report"


def sized(ci: int, report: int) -> int:
    """The CI size of a check, or its report size under ``make battery``."""
    return report if report_run() else ci


@dataclass(frozen=True)
class Check:
    id: str
    metric: str
    target: str
    measured: str
    passed: bool
    test: str = ""


class Battery:
    """Records checks into ``$ESENSI_BATTERY_OUT`` (JSON lines) and asserts each one."""

    def __init__(self, out: Path | None) -> None:
        self._out = out

    def check(
        self, check_id: str, metric: str, target: str, measured: object, passed: bool
    ) -> None:
        # "path::test_name[param] (call)" -> "test_name[param]": matches the JUnit case name.
        current = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit("::", 1)[-1].split(" ")[0]
        line = Check(check_id, metric, target, str(measured), bool(passed), current)
        if self._out is not None:
            with self._out.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(asdict(line)) + "\n")
        assert passed, f"{check_id}: {metric} measured {measured}, target {target}"


def battery_from_env() -> Battery:
    out = os.environ.get(OUT_ENV)
    return Battery(Path(out) if out else None)
