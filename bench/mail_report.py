"""Scenario (e)'s report: its targets, the Markdown table and the result files.

``write`` stores ``bench/results/<date>-<commit>-mail-<backend>.{json,md}`` and refreshes
``latest-mail.json`` (kept apart from the HTTP suite's files); ``bench/mail.py`` measures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from bench import report
from bench.mail_drill import DRILL_LEASE_S
from rlib.mail import MailConfig

APPS = ("B", "O", "O2")
MAIL_BATCH = MailConfig().batch_size
# benchmarks.md §6: O ≥ 0.70x the loop; two connections ≥ 1.6x one (unless the sink saturates).
TARGET = {"o_over_b": 0.70, "o2_over_o": 1.6}
SATURATED_PCT = 90.0


def markdown(doc: dict[str, Any]) -> str:
    m, e = doc["meta"], doc["scenarios"]["e"]
    lines = [
        f"# Bench mail (scenario e) {m['backend']}, {m['date']}, commit {m['commit']}"
        + (" (uncommitted changes)" if m["dirty"] else ""),
        "",
        f"- CPU: {m['cpu_model']} ({m['cores']} cores); pinning: {m['pinning']}",
        f"- {m['messages']} messages x {m['repetitions']} (median); outbox batch "
        f"{m['batch_size']}; synchronous_commit: {m['synchronous_commit']}; fsync: {m['fsync']}",
        f"- versions: {', '.join(f'{k} {v}' for k, v in m['versions'].items() if v)}",
        "",
        "| sender | msgs/s | CPU-µs/msg | DB CPU-µs/msg | enqueue msgs/s | enqueue CPU-µs/msg "
        "| sink CPU-µs/msg | sink % of a core | DB % | client core % |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for app in APPS:
        r = e[app]
        cells = [
            r.get(key, "-")
            for key in (
                "msgs_per_s",
                "cpu_us_per_msg",
                "db_cpu_us_per_msg",
                "enqueue_msgs_per_s",
                "enqueue_cpu_us_per_msg",
                "sink_cpu_us_per_msg",
                "sink_busy_pct",
                "db_busy_pct",
                "client_core_busy_pct",
            )
        ]
        lines.append(f"| {app} | " + " | ".join(str(c) for c in cells) + " |")
    target = ", ".join(f"{k} ≥ {v:g}" for k, v in TARGET.items())
    target += f", lost on kill = 0, duplicates ≤ {MAIL_BATCH}"
    drill = e.get("kill_drill")
    lines += [
        "",
        "| scenario | O/B msgs/s | O2/B msgs/s | O2/O msgs/s | cpu O/B | cpu (O+DB)/B | cpu O2/B "
        "| lost on kill | duplicates | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
        f"| e | {e['o_over_b']} | {e['o2_over_b']} | {e['o2_over_o']} | {e['cpu_o_over_b']} | "
        f"{e['cpu_o_plus_db_over_b']} | {e['cpu_o2_over_b']} | {_cell(e['lost_on_kill'])} | "
        f"{_cell(e['duplicates'])} | {target} | {'✓' if e['met'] else '✗'} |",
        "",
        (
            f"Kill -9 drill: {drill['messages']} queued, the worker killed after the sink "
            f"counted {drill['delivered_before_kill']}, restarted; lease {DRILL_LEASE_S:g} s."
            if drill
            else "Kill -9 drill: not run (--no-kill)."
        ),
        "",
        f"O2's sink saturated (sink + database backends ≥ {SATURATED_PCT:g}% of the client "
        f"core): {e.get('o2_sink_saturated')}; if so, O2/O ≥ 1.6 is not judged. Client core "
        f"≥ {SATURATED_PCT:g}% busy (any process, neighbours too): "
        f"{e.get('client_core_saturated')}.",
    ]
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def write(doc: dict[str, Any], *, directory: Path = report.RESULTS) -> str:
    """Write ``<date>-<commit>-mail-<backend>.{json,md}``; refresh ``latest-mail.json``."""
    directory.mkdir(parents=True, exist_ok=True)
    m = doc["meta"]
    stem = f"{m['date'][:10]}-{m['commit'] or 'nocommit'}-mail-{m['backend']}"
    raw = orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
    (directory / f"{stem}.json").write_bytes(raw)
    text = markdown(doc)
    (directory / f"{stem}.md").write_text(text)
    (directory / "latest-mail.json").write_bytes(raw)
    return text
