"""``python -m bench.battery``: run esensi/tests/battery at the report size, write the report.

Each battery test records its checks (``battery_support.Battery.check``) into a JSON-lines file
before asserting them; this runner turns that file into ``docs/reports/battery.md`` and prints
one line per check. A test that failed before recording anything still gets a line (its node id,
"did not record", fail), so nothing disappears from the report.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "docs" / "reports" / "battery.md"
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def _run_pytest(out: Path, junit: Path, select: list[str]) -> int:
    env = dict(os.environ)
    env["ESENSI_BATTERY"] = "report"
    env["ESENSI_BATTERY_OUT"] = str(out)
    env.setdefault("ESENSI_TEST_DATABASE_URL", DEFAULT_PG)
    env.setdefault("ESENSI_TEST_REDIS_URL", DEFAULT_REDIS)
    args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "0"]
    args += [f"--junitxml={junit}", *(select or ["esensi/tests/battery"])]
    return subprocess.run(args, cwd=ROOT, env=env).returncode


def _failed_without_record(junit: Path, recorded: set[str]) -> list[dict[str, object]]:
    import xml.etree.ElementTree as ET

    if not junit.exists():
        return []
    lines = []
    for case in ET.parse(junit).iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        name = str(case.get("name"))
        if failed and name not in recorded:
            where = f"{case.get('classname')}::{name}"
            lines.append(
                {
                    "id": where,
                    "metric": "test failed before recording a check",
                    "target": "pass",
                    "measured": "error",
                    "passed": False,
                }
            )
    return lines


def _metric(check: dict[str, object]) -> str:
    """The check's metric, naming its test's parameter (a backend, a mode) when it has one:
    a test run once per backend records the same ID twice."""
    metric = str(check["metric"])
    test = str(check.get("test", ""))
    if test.endswith("]") and "[" in test:
        param = test[test.index("[") + 1 : -1]
        if param not in metric:
            return f"{metric} [{param}]"
    return metric


def _table(checks: list[dict[str, object]]) -> list[str]:
    rows = ["| ID | metric | target | measured | pass |", "|---|---|---|---|---|"]
    for c in checks:
        mark = "pass" if c["passed"] else "FAIL"
        rows.append(f"| {c['id']} | {_metric(c)} | {c['target']} | {c['measured']} | {mark} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.battery")
    parser.add_argument("select", nargs="*", help="pytest node ids (default: the whole battery)")
    opts = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        out, junit = Path(tmp) / "checks.jsonl", Path(tmp) / "junit.xml"
        out.touch()
        rc = _run_pytest(out, junit, opts.select)
        checks = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
        checks += _failed_without_record(junit, {str(c["test"]) for c in checks if "test" in c})
    minutes = (time.monotonic() - started) / 60
    checks.sort(key=lambda c: str(c["id"]))
    table = _table(checks)
    for row in table:
        sys.stdout.write(row + "\n")
    passed = sum(1 for c in checks if c["passed"])
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = [
        "# Reliability and security battery",
        "",
        f"Run {stamp} on commit `{_commit()}` with `make battery` (report sizes, PostgreSQL, "
        f"Redis), {minutes:.1f} min; {passed} of {len(checks)} checks pass; pytest exit {rc}.",
        "",
    ]
    if not opts.select:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text("\n".join([*head, *table, ""]), encoding="utf-8")
        sys.stdout.write(f"wrote {REPORT.relative_to(ROOT)}\n")
    return 0 if rc in (0, 5) and passed == len(checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
