"""Request ids and structured logs: plain ASGI middleware and a JSON log formatter.

Every HTTP request gets an ``X-Request-ID`` (the caller's, when it is a short safe token, or
a new one), echoed on the response, and exactly one JSON log line with method, path, status,
duration and request id.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
import time
from bisect import bisect_left

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rlib.redact import redact, redact_text

access_logger = logging.getLogger("rlib.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


def new_request_id() -> str:
    """32 random hex digits: a uuid4's entropy without building a UUID (a few µs per request)."""
    return os.urandom(16).hex()


def request_id_of(scope: Scope) -> str:
    """The request id the middleware assigned (a new one if it did not run)."""
    state = scope.setdefault("state", {})
    rid = state.get("request_id")
    if rid is None:
        rid = state["request_id"] = new_request_id()
    return str(rid)


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _SAFE_ID.match(text) else None
    return None


# Seconds; Prometheus' usual latency ladder, from 5 ms to 10 s (+Inf added on exposition).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
UNMATCHED = "(unmatched)"


class Series:
    """One (endpoint, status) histogram: per-bucket counts (not cumulative), sum, count."""

    __slots__ = ("buckets", "count", "total")

    def __init__(self, size: int) -> None:
        self.buckets = [0] * size
        self.count = 0
        self.total = 0.0


class RequestMetrics:
    """Request counts and latencies by domain, endpoint name and status, in this process.

    Labels come from the registry (the runner puts the matched route's names in the scope
    state), never the raw path, so the series stay bounded; a request no route matched counts
    under ``(unmatched)``. Nested dicts keep a request to lookups, one bisect and increments.
    """

    def __init__(self, buckets: tuple[float, ...] = LATENCY_BUCKETS) -> None:
        self.bounds = buckets
        self.series: dict[str, dict[str, dict[int, Series]]] = {}

    def observe(self, domain: str, endpoint: str, status: int, seconds: float) -> None:
        """Count one request and its duration."""
        by_endpoint = self.series.get(domain)
        if by_endpoint is None:
            by_endpoint = self.series[domain] = {}
        by_status = by_endpoint.get(endpoint)
        if by_status is None:
            by_status = by_endpoint[endpoint] = {}
        found = by_status.get(status)
        if found is None:
            found = by_status[status] = Series(len(self.bounds) + 1)
        found.buckets[bisect_left(self.bounds, seconds)] += 1
        found.count += 1
        found.total += seconds


class ObserveMiddleware:
    """Assigns the request id, writes one access log line per HTTP request and, with
    ``metrics``, counts it by the endpoint the runner matched (``state["route"]``). Every
    answer also gets ``always`` (HSTS in production), whichever part of the app made it."""

    def __init__(
        self,
        app: ASGIApp,
        metrics: RequestMetrics | None = None,
        always: tuple[tuple[bytes, bytes], ...] = (),
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.always = always

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope) or new_request_id()
        scope.setdefault("state", {})["request_id"] = rid
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", ()),
                    *self.always,
                    (b"x-request-id", rid.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            if self.metrics is not None:
                route = scope["state"].get("route")
                if route is None:
                    self.metrics.observe("", UNMATCHED, status, elapsed)
                else:
                    self.metrics.observe(route.domain.name, route.endpoint.name, status, elapsed)
            access_logger.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 3),
                    "request_id": rid,
                },
            )


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the record's extra fields, trace."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact_text(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = redact(value, key)
        if record.exc_info:
            entry["exc"] = redact_text(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


def configure_logging(*, json_lines: bool = True, level: str = "INFO") -> None:
    """Send rlib's and the app's logs to stderr, as JSON lines or plain text."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
