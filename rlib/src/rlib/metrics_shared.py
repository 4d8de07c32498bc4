"""Metrics across workers: every worker's snapshot in one directory, merged by the scraper.

With ``esensi serve --workers N`` a scrape reaches one worker. So each worker writes its request
series and its own gauges (pool, sockets, bus) to ``<dir>/w-<pid>.json`` every ``flush_s``
seconds, at shutdown, and right before it answers a scrape; the worker answering a scrape sums
every live worker's snapshot (ADR h-metrics-across-workers).

The dead-worker rule: a snapshot whose process is gone (no ``/proc/<pid>``, or a different
process start time there: the pid was reused) is *folded* into ``retired.json`` — its counters
and histograms added once, its file removed — under an exclusive ``flock``, so they are counted
exactly once and the merged counters never go backwards when uvicorn replaces a worker. A dead
worker's gauges are dropped (they described a process that no longer exists).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from rlib.observe import RequestMetrics, Series

logger = logging.getLogger("rlib.metrics")

SNAPSHOT_PREFIX = "w-"
RETIRED = "retired.json"
LOCK = ".lock"

# (name, help, value): a gauge of one process, as a snapshot stores it.
LocalGauge = tuple[str, str, float]


def process_start(pid: int) -> str | None:
    """The start time (clock ticks since boot) of ``pid`` from ``/proc``; None if unknown."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return None
    # "pid (comm) state ppid ..." — comm may hold spaces; field 22 counts from the ")".
    fields = raw[raw.rfind(b")") + 2 :].split()
    return fields[19].decode() if len(fields) > 19 else None


def is_alive(pid: int, start: str | None) -> bool:
    """Whether the process that wrote a snapshot still runs (a reused pid does not count)."""
    current = process_start(pid)
    if current is not None:
        return start is None or current == start
    if Path("/proc/self/stat").exists():
        return False  # /proc is there and the pid is not: gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _rows(metrics: RequestMetrics) -> list[list[Any]]:
    return [
        [domain, endpoint, status, series.buckets, series.count, series.total]
        for domain, by_endpoint in metrics.series.items()
        for endpoint, by_status in by_endpoint.items()
        for status, series in by_status.items()
    ]


def _add_rows(target: RequestMetrics, rows: Sequence[Sequence[Any]]) -> None:
    size = len(target.bounds) + 1
    for domain, endpoint, status, buckets, count, total in rows:
        if len(buckets) != size:
            continue  # another bucket ladder (another release): not mergeable
        by_status = target.series.setdefault(str(domain), {}).setdefault(str(endpoint), {})
        found = by_status.get(int(status))
        if found is None:
            found = by_status[int(status)] = Series(size)
        found.buckets = [a + int(b) for a, b in zip(found.buckets, buckets, strict=True)]
        found.count += int(count)
        found.total += float(total)


@dataclass
class Merged:
    """A scrape's view: every worker's request series, the live workers' gauges summed."""

    metrics: RequestMetrics
    gauges: dict[str, tuple[str, float]] = field(default_factory=dict)
    workers: int = 0
    retired: int = 0
    oldest_s: float = 0.0


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def clear_snapshots(directory: Path) -> None:
    """Remove every snapshot and the retired totals (a server starting on an old directory)."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in directory.iterdir():
        if path.name.startswith(SNAPSHOT_PREFIX) or path.name == RETIRED:
            path.unlink(missing_ok=True)


class SharedMetrics:
    """One worker's side of the shared directory: write its snapshot, merge everyone's."""

    def __init__(
        self,
        directory: Path,
        metrics: RequestMetrics,
        *,
        pid: int | None = None,
        alive: Callable[[int, str | None], bool] = is_alive,
    ) -> None:
        self.directory = directory
        self.metrics = metrics
        self.pid = os.getpid() if pid is None else pid
        self.start = process_start(self.pid)
        self.alive = alive
        self._writing = threading.Lock()  # the flusher and a scrape write from two threads
        directory.mkdir(parents=True, exist_ok=True)

    @property
    def path(self) -> Path:
        return self.directory / f"{SNAPSHOT_PREFIX}{self.pid}.json"

    def write(self, gauges: Sequence[LocalGauge]) -> None:
        """Replace this worker's snapshot (atomically: a reader sees the old or the new one)."""
        body = {
            "pid": self.pid,
            "start": self.start,
            "written": time.time(),
            "bounds": list(self.metrics.bounds),
            "series": _rows(self.metrics),
            "gauges": [list(g) for g in gauges],
        }
        with self._writing:
            _atomic_write(self.path, orjson.dumps(body))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with (self.directory / LOCK).open("a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def merge(self) -> Merged:
        """Fold dead workers into the retired totals, then sum retired + live snapshots."""
        merged = Merged(RequestMetrics(self.metrics.bounds))
        now = time.time()
        with self._locked():
            retired_path = self.directory / RETIRED
            retired = _read(retired_path) or {"series": [], "folded": 0}
            folded = False
            for path in sorted(self.directory.glob(f"{SNAPSHOT_PREFIX}*.json")):
                snap = _read(path)
                if snap is None:
                    continue
                pid = int(snap["pid"])
                if pid != self.pid and not self.alive(pid, snap.get("start")):
                    folded_metrics = RequestMetrics(self.metrics.bounds)
                    _add_rows(folded_metrics, retired["series"])
                    _add_rows(folded_metrics, snap["series"])
                    retired = {"series": _rows(folded_metrics), "folded": retired["folded"] + 1}
                    _atomic_write(retired_path, orjson.dumps(retired))
                    path.unlink(missing_ok=True)  # after the totals hold it: counted once
                    folded = True
                    continue
                _add_rows(merged.metrics, snap["series"])
                for name, help_text, value in snap["gauges"]:
                    _, total = merged.gauges.get(name, (help_text, 0.0))
                    merged.gauges[name] = (help_text, total + float(value))
                merged.workers += 1
                merged.oldest_s = max(merged.oldest_s, now - float(snap["written"]))
            if folded:
                logger.info("metrics: folded dead workers' snapshots into the retired totals")
            _add_rows(merged.metrics, retired["series"])
            merged.retired = int(retired["folded"])
        return merged


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None
