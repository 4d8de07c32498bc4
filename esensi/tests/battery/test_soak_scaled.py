"""The soak, scaled out (issue 19, deliverable 5): ``esensi serve --workers 2`` on its own
PostgreSQL database + Redis + the Midtrans stand-in (``esensi midtrans-standin``) + an SMTP sink
(aiosmtpd, bench.mail_sink), under a fixed-rate (open-loop) mix: store pages, sign-ins, and
cart -> checkout -> settled through the stand-in's signed webhook, while every customer holds a
live notification WebSocket. Figures come from the merged ``/metrics`` scrape where it has them
(ADR h-metrics-across-workers); the client's own counts check them (M lines)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import websockets
from battery_support import sized
from finance_helpers import make_owner
from notify_live import REDIS_URL, free_port
from sqlalchemy import func, select
from websockets.asyncio.client import connect

from conftest_helpers import drop_postgres_database, migrate, recreate_postgres_database
from esensi.models.outbox import MailOutbox
from factories.logins import PASSWORD, add_profile, make_login, make_session
from factories.store import make_product
from rlib import DatabaseConfig
from rlib.db.engine import Database

pytestmark = [
    pytest.mark.battery,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("ESENSI_TEST_DATABASE_URL"), reason="needs ESENSI_TEST_DATABASE_URL"
    ),
]

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
SERVER_KEY = "SB-Mid-server-soak-key"
RATE = 6.0  # ticks per second; per 6 ticks: 4 store pages, 1 sign-in, 1 purchase flow
CLASSES = {
    "store": {"index", "browse", "header"},
    "auth": {"sign_in_email"},
    "commerce": {"cart_add", "checkout"},
    "webhook": {"midtrans_notification"},
}


def _duration() -> int:
    """Seconds of load: 20 in CI, 600 under make battery (ESENSI_SOAK_S overrides, for trials)."""
    return int(os.environ.get("ESENSI_SOAK_S") or sized(ci=20, report=600))


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _workers(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    # the app workers, not multiprocessing's resource tracker
    return sorted(c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes())


def _samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        name, _, rest = head.partition("{")
        labels = dict(part.split("=", 1) for part in rest.rstrip("}").split(",") if "=" in part)
        out.append((name, {k: v.strip('"') for k, v in labels.items()}, float(value)))
    return out


def _p99_from_histogram(samples: list[tuple[str, dict[str, str], float]], names: set[str]) -> str:
    buckets: dict[str, float] = defaultdict(float)
    for name, labels, value in samples:
        if name == "http_request_duration_seconds_bucket" and labels.get("endpoint") in names:
            buckets[labels["le"]] += value
    total = buckets.get("+Inf", 0.0)
    if not total:
        return "-"
    for le in sorted(buckets, key=lambda x: float("inf") if x == "+Inf" else float(x)):
        if buckets[le] >= 0.99 * total:
            return "<= " + (le if le == "+Inf" else f"{float(le) * 1000:g} ms")
    return "-"


def _p99_ms(values: list[float]) -> float:
    ordered = sorted(values)
    return (
        round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 1) if values else 0
    )


async def _wait_http(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            assert process.poll() is None, log.read_text()[-3000:]
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code < 500:
                    return
            await asyncio.sleep(0.2)
    raise AssertionError(f"{url} did not start: {log.read_text()[-3000:]}")


class Sink:
    """bench.mail_sink as its own process: counts messages by Message-ID."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.mail_sink"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.process.stdout is not None
        self.port = int(orjson.loads(self.process.stdout.readline())["port"])

    def stats(self) -> dict[str, Any]:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(b"stats\n")
        self.process.stdin.flush()
        return dict(orjson.loads(self.process.stdout.readline()))

    def stop(self) -> None:
        self.process.kill()
        self.process.communicate()  # closes its pipes


async def _seed(url: str, customers: int, products: int) -> tuple[list[Any], list[Any]]:
    database = Database(DatabaseConfig(url=url, pool_size=1))
    try:
        async with database.sessionmaker() as db:
            author = await make_owner(db, "author")
            items = [await make_product(db, author) for _ in range(products)]
            people = []
            for _ in range(customers):
                login = await make_login(db, email_verified=True)
                await add_profile(db, login, "customer")
                people.append((login, await make_session(db, login)))
            await db.commit()
        return people, items
    finally:
        await database.dispose()


async def _outbox_rows(url: str) -> int:
    database = Database(DatabaseConfig(url=url, pool_size=1))
    try:
        async with database.sessionmaker() as db:
            return int(await db.scalar(select(func.count()).select_from(MailOutbox)) or 0)
    finally:
        await database.dispose()


async def test_soak_two_workers_mixed_load(battery, tmp_path):
    duration = _duration()
    flows = int(duration * RATE / 6) + 1
    customers = flows + 1  # one purchase each: a bought book cannot go in the cart again
    products = 5
    name = f"esensi_soak_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    url = await recreate_postgres_database(name)
    sink = Sink()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        await asyncio.to_thread(migrate, url)
        people, items = await _seed(url, customers, products)
        app_port, standin_port = free_port(), free_port()
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("ESENSI_")}
        env = {
            **base_env,
            "ESENSI_ENV": "test",
            "ESENSI_DATABASE_URL": url,
            "ESENSI_REDIS_URL": REDIS_URL,
            "ESENSI_NOTIFY__CHANNEL": f"soak_{uuid.uuid4().hex[:12]}",
            "ESENSI_LOG_LEVEL": "WARNING",
            "ESENSI_POOL__SIZE": "5",
            "ESENSI_MAIL__WORKER": "true",
            "ESENSI_MAIL__POLL_INTERVAL_S": "0.5",
            "ESENSI_MAIL__ACCOUNTS": orjson.dumps(
                {"sink": {"transport": "smtp", "port": sink.port, "security": "none"}}
            ).decode(),
            "ESENSI_MAIL__CONTEXTS": orjson.dumps(
                {c: ["sink"] for c in ("main", "chapter", "publish", "internal", "auth")}
            ).decode(),
            "ESENSI_MIDTRANS__SERVER_KEY": SERVER_KEY,
            "ESENSI_MIDTRANS__CLIENT_KEY": "SB-Mid-client-soak",
            "ESENSI_MIDTRANS__SNAP_URL": f"http://127.0.0.1:{standin_port}/snap/v1",
            "ESENSI_MIDTRANS__API_URL": f"http://127.0.0.1:{standin_port}",
            "ESENSI_METRICS__FLUSH_S": "0.5",
        }
        app_log, standin_log = tmp_path / "app.log", tmp_path / "standin.log"
        with app_log.open("wb") as out:
            serve = [str(BIN / "esensi"), "serve", "--port", str(app_port), "--workers", "2"]
            processes.append(subprocess.Popen(serve, env=env, stdout=out, stderr=out))
        with standin_log.open("wb") as out:
            hook = f"http://127.0.0.1:{app_port}/api/midtrans/notification"
            standin = [str(BIN / "esensi"), "midtrans-standin", "--port", str(standin_port)]
            standin += ["--notify-url", hook]
            processes.append(subprocess.Popen(standin, env=env, stdout=out, stderr=out))
        app_url, standin_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{standin_port}"
        await _wait_http(f"{app_url}/api/health", processes[0], app_log)
        await _wait_http(f"{standin_url}/v2/none/status", processes[1], standin_log)
        await _run(battery, app_url, standin_url, processes[0].pid, people, items, url, sink)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        sink.stop()
        await drop_postgres_database(url)


async def _run(  # noqa: C901, PLR0915 — one story: load, drain, then every figure in order
    battery, app_url, standin_url, serve_pid, people, items, url, sink
) -> None:
    duration = _duration()
    wanted: Counter[str] = Counter()  # customer id -> payment-success notifications due
    got: dict[str, set[str]] = defaultdict(set)
    settled_orders: dict[str, str] = {}
    stop = asyncio.Event()

    async def listen(login, token) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        ws_url = app_url.replace("http", "ws") + "/ws/notif"
        async with connect(ws_url, additional_headers=headers, open_timeout=30) as ws:
            ready.release()
            while not stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), 0.5)
                except websockets.ConnectionClosed:
                    closed.append(str(login.id))  # a socket the server dropped: reported
                    return
                except TimeoutError:
                    continue
                frame = orjson.loads(raw)
                if frame.get("action") == "ping":  # the hub closes a silent client
                    await ws.send('{"action": "pong"}')
                    continue
                notif = frame.get("notif") or {}
                if notif.get("type") == "payment-success":
                    got[str(login.id)].add(str((notif.get("data") or {}).get("order_id")))

    closed: list[str] = []
    ready = asyncio.Semaphore(0)
    listeners = [asyncio.create_task(listen(login, token)) for login, token in people]
    for _ in people:
        await asyncio.wait_for(ready.acquire(), 60)

    workers = _workers(serve_pid)
    rss_start = {pid: _rss_kib(pid) for pid in workers}
    rss_before = dict(rss_start)  # replaced by the warm figure a quarter into the load

    async def warm_baseline() -> None:
        await asyncio.sleep(min(60.0, duration / 4))
        rss_before.update({pid: _rss_kib(pid) for pid in workers})

    latencies: dict[str, list[float]] = defaultdict(list)
    sent: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    problems: list[str] = []

    async def timed(client, klass, method, path, **kwargs) -> httpx.Response:
        started = time.perf_counter()
        response = await client.request(method, path, **kwargs)
        latencies[klass].append(time.perf_counter() - started)
        sent[klass] += 1
        statuses[response.status_code] += 1
        return response

    async def flow(client, outside, n: int) -> None:
        login, token = people[n % len(people)]
        product = items[n % len(items)]
        auth = {"Authorization": f"Bearer {token}"}
        added = await timed(
            client,
            "commerce",
            "POST",
            "/api/cart/add",
            json={"id_product": str(product.id)},
            headers=auth,
        )
        if added.status_code != 200:
            problems.append(f"cart {added.status_code} {added.text[:200]}")
            return
        key = {**auth, "Idempotency-Key": f"soak-{n}"}
        order = await timed(client, "commerce", "POST", "/checkout", json={}, headers=key)
        if order.status_code != 200:
            problems.append(f"checkout {order.status_code} {order.text[:200]}")
            return
        data = order.json()["data"]
        settled = await outside.post(f"{standin_url}/_standin/settle/{data['order_id']}")
        if settled.status_code != 200 or settled.json()["webhook"]["status"] != 200:
            problems.append(f"settle {settled.status_code} {settled.text[:200]}")
            return
        wanted[str(login.id)] += 1
        sales = str(data.get("id") or data.get("sales_id") or data["order_id"])
        settled_orders[sales] = str(login.id)

    async def tick(client, outside, i: int) -> None:
        kind = i % 6
        try:
            if kind in (0, 2, 4):
                await timed(client, "store", "GET", ("/", "/browse", "/api/header")[i % 3])
            elif kind == 1:
                login, _ = people[i % len(people)]
                body = {"email": login.email, "password": PASSWORD}
                # its own client: the session cookie a sign-in sets must not ride along with
                # the purchase flows' bearer requests
                await timed(signin, "auth", "POST", "/api/auth/sign-in/email", json=body)
                signin.cookies.clear()
            elif kind == 3:
                await timed(client, "store", "GET", "/api/header")
            else:
                await flow(client, outside, i // 6)
        except httpx.HTTPError as exc:
            problems.append(f"{type(exc).__name__}: {exc}")

    total = int(duration * RATE)
    limits = httpx.Limits(max_connections=64)
    async with (
        httpx.AsyncClient(base_url=app_url, timeout=60, limits=limits) as client,
        httpx.AsyncClient(timeout=60) as outside,
        httpx.AsyncClient(base_url=app_url, timeout=60) as signin,
    ):
        start = time.perf_counter()
        tasks = [asyncio.create_task(warm_baseline())]
        for i in range(total):
            delay = start + i / RATE - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(tick(client, outside, i)))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start

        # drain: every due notification and every queued mail, bounded
        due = sum(wanted.values())
        deadline = time.monotonic() + 60
        scrape = ""
        while time.monotonic() < deadline:
            received = sum(len(v) for v in got.values())
            scrape = (await client.get("/metrics")).text
            queued = [v for n, _, v in _samples(scrape) if n == "outbox_queued"]
            if received >= due and queued and queued[0] == 0:
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(1.2)  # > flush_s: the other worker's last figures
        scrape = (await client.get("/metrics")).text
    stop.set()
    await asyncio.gather(*listeners, return_exceptions=True)
    rss_after = {pid: _rss_kib(pid) for pid in workers if Path(f"/proc/{pid}").exists()}

    samples = _samples(scrape)
    server_5xx = sum(
        v for n, ls, v in samples if n == "http_requests_total" and ls.get("status", "")[:1] == "5"
    )
    client_5xx = sum(c for s, c in statuses.items() if s >= 500)
    lost_notifs = sum(max(0, wanted[u] - len(got[u])) for u in wanted)
    mail = sink.stats()
    rows = await _outbox_rows(url)
    queued = next((v for n, _, v in samples if n == "outbox_queued"), -1)
    growth = {pid: (rss_after.get(pid, 0) - kib) / 1024 for pid, kib in rss_before.items()}
    merged_commerce = sum(
        v
        for n, ls, v in samples
        if n == "http_requests_total" and ls.get("endpoint") in CLASSES["commerce"]
    )

    flows_done = sum(wanted.values())
    battery.check(
        "S1",
        f"5xx in {elapsed:.0f} s at {RATE:g}/s ({total} ticks, {flows_done} paid orders)",
        "= 0",
        f"{server_5xx:g} (client saw {client_5xx}; problems {len(problems)})",
        server_5xx == 0 and client_5xx == 0,
    )
    battery.check(
        "S2",
        "purchase flows that failed (cart, checkout or settle not 200)",
        "= 0",
        f"{len(problems)} {problems[:3]}",
        not problems,
    )
    battery.check(
        "S3",
        f"payment notifications lost over {len(people)} live sockets",
        "= 0",
        f"{lost_notifs} of {flows_done} (sockets closed early: {len(closed)})",
        lost_notifs == 0 and flows_done > 0 and not closed,
    )
    battery.check(
        "S4",
        "emails lost (outbox rows not at the SMTP sink; outbox drained)",
        "= 0",
        f"{rows - int(mail['distinct'])} of {rows}; outbox_queued {queued:g}",
        rows == int(mail["distinct"]) and queued == 0 and rows >= 2 * flows_done,
    )
    worst = max(growth.values()) if growth else float("inf")
    battery.check(
        "S5",
        f"RSS growth per worker after warm-up ({len(growth)} workers, /proc VmRSS)",
        "< 50 MiB",
        ", ".join(
            f"{g:.1f} MiB (idle {rss_start[pid] / 1024:.0f} -> end "
            f"{rss_after.get(pid, 0) / 1024:.0f} MiB)"
            for pid, g in growth.items()
        ),
        len(growth) == 2 and worst < 50,
    )
    for n, (klass, names) in enumerate(CLASSES.items(), start=6):
        client_p99 = f"{_p99_ms(latencies[klass])} ms" if klass in latencies else "-"
        battery.check(
            f"S{n}",
            f"p99 {klass} ({', '.join(sorted(names))}), merged /metrics histogram",
            "reported",
            f"{_p99_from_histogram(samples, names)} (client {client_p99}, n={sent[klass]})",
            True,
        )
    workers_seen = next((v for n, _, v in samples if n == "metrics_workers"), 0)
    retired = next((v for n, _, v in samples if n == "metrics_workers_retired"), 0)
    battery.check(
        "M1",
        "merged scrape: cart_add+checkout requests = the client's",
        "equal",
        f"{merged_commerce:g} vs {sent['commerce']} ({workers_seen:g} live workers, "
        f"{retired:g} retired)",
        merged_commerce == sent["commerce"] and workers_seen + retired >= 2,
    )
    webhooks = sum(
        v
        for n, ls, v in samples
        if n == "http_requests_total" and ls.get("endpoint") in CLASSES["webhook"]
    )
    battery.check(
        "M2",
        "merged scrape: signed webhooks answered 200 >= paid orders",
        ">= paid",
        f"{webhooks:g} vs {flows_done}",
        webhooks >= flows_done > 0,
    )
