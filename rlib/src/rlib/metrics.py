"""``GET /metrics``: the request metrics and the app's gauges, in Prometheus text.

Without a shared directory metrics are per process (ADR 0047): every sample carries a ``pid``
label. With ``MetricsConfig.shared_dir`` (``serve --workers N`` sets one) every worker writes
its snapshot there and a scrape answers the sum over all workers, without ``pid``
(rlib.metrics_shared, ADR h-metrics-across-workers). This process's own gauges (pool, sockets,
bus) are summed over the live workers; the sources the app registers (a cheap SQL over shared
state) are read once, at scrape time, by the worker answering. Access: a bearer token
(``MetricsConfig.token``) anywhere; without one, development and test answer callers on the
loopback address only, production nobody.
"""

from __future__ import annotations

import asyncio
import hmac
import math
import os
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from starlette.responses import Response

from rlib.config import Environment, MetricsConfig
from rlib.context import Ctx
from rlib.db.engine import Database
from rlib.endpoint import Endpoint, define_api
from rlib.errors import AuthenticationError, AuthorizationError
from rlib.metrics_shared import LocalGauge, SharedMetrics
from rlib.observe import RequestMetrics

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_LOOPBACK = frozenset({"127.0.0.1", "::1"})


@dataclass(frozen=True, slots=True)
class Gauge:
    """One gauge sample: ``name{labels} value`` with its help line."""

    name: str
    help: str
    value: float
    labels: tuple[tuple[str, str], ...] = ()


GaugeSource = Callable[[Ctx], Awaitable[Iterable[Gauge]]]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(pairs: Iterable[tuple[str, str]]) -> str:
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in pairs) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def _labels_or_none(pairs: list[tuple[str, str]]) -> str:
    return _labels(pairs) if pairs else ""


def _requests(metrics: RequestMetrics, pid: list[tuple[str, str]]) -> list[str]:
    counts = [
        "# HELP http_requests_total Requests answered, by endpoint and status.",
        "# TYPE http_requests_total counter",
    ]
    hist = [
        "# HELP http_request_duration_seconds Time to answer, by endpoint and status.",
        "# TYPE http_request_duration_seconds histogram",
    ]
    les = [_number(b) for b in metrics.bounds] + ["+Inf"]
    for domain, by_endpoint in sorted(metrics.series.items()):
        for endpoint, by_status in sorted(by_endpoint.items()):
            for status, series in sorted(by_status.items()):
                base = [("domain", domain), ("endpoint", endpoint), ("status", str(status)), *pid]
                counts.append(f"http_requests_total{_labels(base)} {series.count}")
                running = 0
                for le, n in zip(les, series.buckets, strict=True):
                    running += n  # exposition is cumulative; the store is not
                    hist.append(
                        f"http_request_duration_seconds_bucket{_labels([*base, ('le', le)])} "
                        f"{running}"
                    )
                hist.append(f"http_request_duration_seconds_sum{_labels(base)} {series.total!r}")
                hist.append(f"http_request_duration_seconds_count{_labels(base)} {series.count}")
    return counts + hist


def exposition(
    metrics: RequestMetrics,
    gauges: Sequence[Gauge],
    pid: int | None = None,
    *,
    merged: bool = False,
) -> str:
    """The Prometheus text format (0.0.4) of the request metrics and the gauges; every sample
    labelled with this process's ``pid`` unless ``merged`` (the sum of every worker)."""
    label = [] if merged else [("pid", str(os.getpid() if pid is None else pid))]
    lines = _requests(metrics, label)
    seen: set[str] = set()
    for gauge in sorted(gauges, key=lambda g: g.name):
        if gauge.name not in seen:
            seen.add(gauge.name)
            lines += [f"# HELP {gauge.name} {gauge.help}", f"# TYPE {gauge.name} gauge"]
        pairs = [*gauge.labels, *label]
        lines.append(f"{gauge.name}{_labels_or_none(pairs)} {_number(gauge.value)}")
    return "\n".join(lines) + "\n"


def check_access(ctx: Ctx, config: MetricsConfig, env: Environment) -> None:
    """The bearer token when one is set; else the loopback address outside production.

    Raises:
        AuthenticationError: a token is configured and the request lacks it (401).
        AuthorizationError: no token is configured and the caller may not read (403).
    """
    if config.token:
        given = ctx.req.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), config.token.encode()
        ):
            raise AuthenticationError()
        return
    client = ctx.req.client
    if env == "production" or client is None or client.host not in _LOOPBACK:
        raise AuthorizationError()


def metrics_endpoint(
    metrics: RequestMetrics,
    sources: Callable[[], Sequence[GaugeSource]],
    config: MetricsConfig,
    env: Environment,
    *,
    local: Callable[[], Sequence[Gauge]] = list,
    shared: Callable[[], SharedMetrics | None] = lambda: None,
) -> Endpoint:
    """The ``metrics`` endpoint: infrastructure, not in the document or the client (its body
    is Prometheus text, not the JSON envelope). ``local``: this process's own gauges;
    ``sources``: the app's, read at scrape time; ``shared``: the workers' directory, if any."""

    async def read_metrics(ctx: Ctx) -> Response:
        check_access(ctx, config, env)
        gauges: list[Gauge] = []
        for source in sources():
            gauges.extend(await source(ctx))
        share = shared()
        if share is None:
            body = exposition(metrics, [*local(), *gauges])
        else:
            body = await asyncio.to_thread(_merged_body, share, local(), gauges)
        return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})

    return define_api(
        name="metrics",
        url="/metrics",
        handler=read_metrics,
        methods=("GET",),
        auth="public",
        documented=False,
        errors=(AuthenticationError, AuthorizationError),
    )


def local_values(gauges: Sequence[Gauge]) -> list[LocalGauge]:
    """A process's gauges as a snapshot stores them (labels are not kept: none have any)."""
    return [(g.name, g.help, g.value) for g in gauges if not g.labels]


def _merged_body(share: SharedMetrics, local: Sequence[Gauge], app: Sequence[Gauge]) -> str:
    share.write(local_values(local))  # this worker's figures as of now, not its last flush
    merged = share.merge()
    gauges = [Gauge(name, help_text, value) for name, (help_text, value) in merged.gauges.items()]
    gauges += [
        *app,
        Gauge("metrics_workers", "Live workers whose snapshots this scrape sums.", merged.workers),
        Gauge(
            "metrics_workers_retired",
            "Stopped workers whose counters were folded into the totals.",
            merged.retired,
        ),
        Gauge(
            "metrics_snapshot_age_seconds",
            "Age of the oldest live worker's snapshot in this scrape.",
            round(merged.oldest_s, 3),
        ),
    ]
    return exposition(merged.metrics, gauges, merged=True)


def _waiting(pool: object) -> int:
    # SQLAlchemy exposes no count of tasks waiting for a connection; its async queue keeps
    # them as asyncio.Queue getters. Best effort: 0 when the internals differ.
    queue = getattr(getattr(pool, "_pool", None), "_queue", None)
    return len(getattr(queue, "_getters", ()) or ())


def pool_values(database: Database) -> list[Gauge]:
    """The engine pool's connections in use, idle and the tasks waiting for one."""
    pool = database.engine.pool
    checked_out = getattr(pool, "checkedout", None)
    checked_in = getattr(pool, "checkedin", None)
    return [
        Gauge(
            "db_pool_in_use",
            "Pooled connections checked out.",
            float(checked_out() if checked_out else 0),
        ),
        Gauge(
            "db_pool_idle",
            "Pooled connections idle in the pool.",
            float(checked_in() if checked_in else 0),
        ),
        Gauge("db_pool_waiting", "Tasks waiting for a pooled connection.", float(_waiting(pool))),
    ]


def pool_gauges(database: Callable[[], Database]) -> GaugeSource:
    """:func:`pool_values` as a scrape-time source."""

    async def read(ctx: Ctx) -> list[Gauge]:
        return pool_values(database())

    return read
