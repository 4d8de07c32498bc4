"""``GET /metrics``: Prometheus text, request series by endpoint name, gauges, access rules."""

import re
from contextlib import asynccontextmanager

import httpx
import pytest

from fixture_apps.factory import make_shop_app
from rlib import Catalogue, Registry, RlibConfig, create_app
from rlib.config import Environment, MetricsConfig
from rlib.metrics import Gauge, exposition
from rlib.observe import RequestMetrics

_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*"'
_SAMPLE = re.compile(
    rf"^(?P<name>{_NAME})(?:\{{(?P<labels>{_LABEL}(?:,{_LABEL})*)\}})? "
    r"(?P<value>[+-]?(?:\d+(?:\.\d*)?(?:e[+-]?\d+)?|Inf)|NaN)$"
)
_META = re.compile(rf"^# (?:HELP {_NAME} .*|TYPE {_NAME} (?:counter|gauge|histogram))$")


def parse(text: str) -> list[tuple[str, dict[str, str], float]]:
    """A strict reading of the text format: every line a HELP/TYPE line or a sample."""
    assert text.endswith("\n")
    samples = []
    for line in text.splitlines():
        if line.startswith("#"):
            assert _META.match(line), line
            continue
        found = _SAMPLE.match(line)
        assert found, line
        labels = dict(re.findall(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"', found["labels"] or ""))
        samples.append((found["name"], labels, float(found["value"])))
    return samples


def value(samples, name: str, **labels: str) -> float:
    hits = [v for n, ls, v in samples if n == name and labels.items() <= ls.items()]
    return sum(hits)


@asynccontextmanager
async def client_of(database, *, env: Environment = "development", token=None, ip="127.0.0.1"):
    app = make_shop_app(database)
    if env != "development" or token is not None:
        app = create_app(
            config=RlibConfig(env=env, metrics=MetricsConfig(token=token)),
            registry=Registry().discover("fixture_apps.shop"),
            catalogue=Catalogue(),
        )
        app.use_database(database)
    await app.startup()
    try:
        transport = httpx.ASGITransport(app=app, client=(ip, 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http
    finally:
        await app.shutdown()


async def scrape(http: httpx.AsyncClient, **headers: str):
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return parse(response.text)


async def test_counters_move_and_labels_are_endpoint_names(client):
    before = await scrape(client)
    for word in ("a", "b", "c"):
        assert (await client.get(f"/api/shop/effect/echo-path/{word}")).status_code == 200
    after = await scrape(client)
    labels = {"domain": "shop", "endpoint": "effect_echo_path", "status": "200"}
    assert value(before, "http_requests_total", **labels) == 0
    assert value(after, "http_requests_total", **labels) == 3
    assert value(after, "http_request_duration_seconds_count", **labels) == 3
    assert value(after, "http_request_duration_seconds_sum", **labels) > 0
    # the scrape itself is counted under its endpoint name
    assert value(after, "http_requests_total", endpoint="metrics", status="200") == 1
    assert not [ls for _, ls, _ in after if "path" in ls or "/" in ls.get("endpoint", "")]


async def test_unknown_paths_share_one_label(client):
    for n in range(5):
        assert (await client.get(f"/no/such/path/{n}")).status_code == 404
    samples = await scrape(client)
    endpoints = {ls["endpoint"] for n, ls, _ in samples if n == "http_requests_total"}
    assert value(samples, "http_requests_total", endpoint="(unmatched)", status="404") == 5
    assert not any("no" in e for e in endpoints)


async def test_histogram_buckets_are_cumulative(client):
    for _ in range(4):
        await client.get("/api/shop/effect/types")
    samples = await scrape(client)
    buckets = [
        (ls["le"], v)
        for n, ls, v in samples
        if n == "http_request_duration_seconds_bucket" and ls["endpoint"] == "effect_types"
    ]
    counts = [v for _, v in buckets]
    assert counts == sorted(counts)
    assert buckets[-1] == ("+Inf", 4)


def test_exposition_counts_every_bucket_at_or_over_the_value():
    metrics = RequestMetrics(buckets=(0.1, 1.0))
    metrics.observe("d", "e", 200, 0.1)  # le="0.1" includes 0.1
    metrics.observe("d", "e", 200, 0.5)
    metrics.observe("d", "e", 200, 7.0)
    text = exposition(metrics, [Gauge("g_x", 'say "hi"', 1.5, (("k", 'a"b\\'),))], pid=7)
    samples = parse(text)
    got = [(ls["le"], v) for n, ls, v in samples if n.endswith("_bucket")]
    assert got == [("0.1", 1), ("1", 2), ("+Inf", 3)]
    assert ("g_x", {"k": 'a\\"b\\\\', "pid": "7"}, 1.5) in samples


async def test_gauges_of_pool_and_sockets_are_there(client):
    samples = await scrape(client)
    names = {n for n, _, _ in samples}
    assert {"db_pool_in_use", "db_pool_idle", "db_pool_waiting"} <= names
    assert {"ws_connections", "bus_reconnects"} <= names
    # the scrape's own unit of work holds at most one connection
    assert value(samples, "db_pool_in_use") <= 1
    assert value(samples, "db_pool_waiting") == 0


async def test_development_serves_loopback_only(database):
    async with client_of(database, ip="10.1.2.3") as http:
        response = await http.get("/metrics")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


async def test_production_without_a_token_serves_nobody(database):
    async with client_of(database, env="production") as http:
        assert (await http.get("/metrics")).status_code == 403


@pytest.mark.parametrize("env", ["production", "development"])
async def test_token_is_required_when_set(database, env):
    async with client_of(database, env=env, token="s3cret-token") as http:
        assert (await http.get("/metrics")).status_code == 401
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        basic = await http.get("/metrics", headers={"Authorization": "Basic s3cret-token"})
        assert basic.status_code == 401
        samples = await scrape(http, Authorization="Bearer s3cret-token")
    assert value(samples, "http_requests_total", endpoint="metrics", status="401") == 3


async def test_disabled_metrics_are_not_served(database):
    app = create_app(
        config=RlibConfig(metrics=MetricsConfig(enabled=False)),
        registry=Registry().discover("fixture_apps.shop"),
        catalogue=Catalogue(),
    )
    app.use_database(database)
    await app.startup()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            assert (await http.get("/metrics")).status_code == 404
    finally:
        await app.shutdown()
