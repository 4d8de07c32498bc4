"""``/metrics`` across workers: snapshots in a shared directory, summed by the scraping worker,
dead workers folded once (ADR h-metrics-across-workers)."""

import os
import subprocess
import sys

import httpx
from test_metrics import parse, value

from fixture_apps.factory import make_shop_app
from rlib import Catalogue, Registry, RlibConfig, create_app
from rlib.config import MetricsConfig
from rlib.metrics_shared import RETIRED, SharedMetrics, clear_snapshots, is_alive, process_start
from rlib.observe import RequestMetrics


def _worker(directory, pid, alive, *counts):
    """A fake worker ``pid`` that answered ``counts[i]`` requests of endpoint ``e<i>``."""
    metrics = RequestMetrics(buckets=(0.1, 1.0))
    for i, count in enumerate(counts):
        for _ in range(count):
            metrics.observe("d", f"e{i}", 200, 0.05)
    return SharedMetrics(directory, metrics, pid=pid, alive=lambda p, s: p in alive)


def _count(merged, endpoint="e0"):
    return merged.metrics.series["d"][endpoint][200].count


def test_a_scrape_sums_every_live_worker(tmp_path):
    alive = {1, 2, 3}
    one, two, three = (_worker(tmp_path, p, alive, n, 1) for p, n in ((1, 3), (2, 4), (3, 5)))
    two.write([("ws_connections", "sockets", 2.0)])
    three.write([("ws_connections", "sockets", 5.0)])
    one.write([("ws_connections", "sockets", 1.0)])
    merged = one.merge()
    assert (_count(merged), _count(merged, "e1")) == (12, 3)
    assert merged.metrics.series["d"]["e0"][200].buckets == [12, 0, 0]
    assert merged.gauges["ws_connections"] == ("sockets", 8.0)
    assert merged.workers == 3
    assert merged.retired == 0


def test_a_dead_workers_counts_are_folded_once_and_its_gauges_dropped(tmp_path):
    alive = {1, 2}
    one, two = _worker(tmp_path, 1, alive, 3), _worker(tmp_path, 2, alive, 4)
    two.write([("ws_connections", "sockets", 7.0)])
    one.write([("ws_connections", "sockets", 1.0)])
    assert _count(one.merge()) == 7
    alive.discard(2)  # worker 2 exits; uvicorn starts worker 9 in its place
    nine = _worker(tmp_path, 9, alive | {9}, 2)
    alive.add(9)
    nine.write([])
    for scraper in (one, nine, one, nine):  # every scraper, repeatedly: counted once
        merged = scraper.merge()
        assert _count(merged) == 3 + 4 + 2  # never goes backwards
        assert merged.gauges["ws_connections"] == ("sockets", 1.0)
        assert merged.workers == 2
        assert merged.retired == 1
    assert not (tmp_path / "w-2.json").exists()
    assert (tmp_path / RETIRED).exists()


def test_a_worker_that_never_wrote_is_not_there_and_a_torn_file_is_skipped(tmp_path):
    one = _worker(tmp_path, 1, {1}, 2)
    one.write([])
    (tmp_path / "w-5.json").write_bytes(b'{"pid": 5, "ser')
    merged = one.merge()
    assert _count(merged) == 2
    assert merged.workers == 1


def test_clear_snapshots_starts_a_server_from_zero(tmp_path):
    one = _worker(tmp_path, 1, {1}, 2)
    one.write([])
    (tmp_path / RETIRED).write_text('{"series": [], "folded": 3}')
    clear_snapshots(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == []


def test_a_real_process_that_exited_is_dead_and_its_counts_kept(tmp_path):
    code = (
        "import sys; from pathlib import Path\n"
        "from rlib.metrics_shared import SharedMetrics\n"
        "from rlib.observe import RequestMetrics\n"
        "m = RequestMetrics()\n"
        "[m.observe('d', 'e0', 200, 0.01) for _ in range(6)]\n"
        "SharedMetrics(Path(sys.argv[1]), m).write([('ws_connections', 's', 4.0)])\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, timeout=60)
    [written] = list(tmp_path.glob("w-*.json"))
    pid = int(written.stem[2:])
    assert not is_alive(pid, None)
    me = SharedMetrics(tmp_path, RequestMetrics())
    assert me.start == process_start(os.getpid())
    assert is_alive(os.getpid(), me.start)
    assert not is_alive(os.getpid(), "1")  # same pid, another start time: a reused pid
    me.write([])
    merged = me.merge()
    assert _count(merged) == 6
    assert "ws_connections" not in merged.gauges or merged.gauges["ws_connections"][1] == 0
    assert merged.retired == 1


async def test_the_fixture_app_answers_the_sum_of_its_workers(database, tmp_path):
    app = create_app(
        config=RlibConfig(metrics=MetricsConfig(shared_dir=str(tmp_path), flush_s=0.05)),
        registry=Registry().discover("fixture_apps.shop"),
        catalogue=Catalogue(),
    )
    app.use_database(database)
    # another worker of the same server (a live process): 5 echo requests, 2 open sockets
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    other = RequestMetrics()
    for _ in range(5):
        other.observe("shop", "effect_echo_path", 200, 0.002)
    peer = SharedMetrics(tmp_path, other, pid=child.pid)
    peer.write([("ws_connections", "Open notification WebSockets.", 2.0)])
    await app.startup()
    try:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            for word in ("a", "b", "c"):
                assert (await http.get(f"/api/shop/effect/echo-path/{word}")).status_code == 200
            response = await http.get("/metrics")
            child.kill()  # the other worker dies: its requests stay, its sockets go
            child.wait()
            after = parse((await http.get("/metrics")).text)
        assert response.status_code == 200
        samples = parse(response.text)
    finally:
        child.kill()
        child.wait()
        await app.shutdown()
    labels = {"domain": "shop", "endpoint": "effect_echo_path", "status": "200"}
    assert value(samples, "http_requests_total", **labels) == 8
    assert value(samples, "http_request_duration_seconds_count", **labels) == 8
    assert value(samples, "ws_connections") == 2
    assert value(samples, "metrics_workers") == 2
    assert {"db_pool_in_use", "bus_reconnects", "metrics_snapshot_age_seconds"} <= {
        n for n, _, _ in samples
    }
    assert not [ls for _, ls, _ in samples if "pid" in ls]
    assert value(after, "http_requests_total", **labels) == 8
    assert value(after, "ws_connections") == 0
    assert (value(after, "metrics_workers"), value(after, "metrics_workers_retired")) == (1, 1)
    # the stopping worker left its last figures for the others
    assert (tmp_path / f"w-{os.getpid()}.json").exists()


async def test_without_a_shared_directory_nothing_is_written(database, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_shop_app(database)
    await app.startup()
    try:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            text = (await http.get("/metrics")).text
    finally:
        await app.shutdown()
    assert app.shared_metrics is None
    assert 'pid="' in text
    assert not list(tmp_path.rglob("w-*.json"))
