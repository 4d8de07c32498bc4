"""The Midtrans stand-in down, resetting, silent, slow, failing or refusing during checkout
(spec/workflows.md §4.4, security.md M3; the fault proxy sits in front of the stand-in).

Snap unreachable or failing (5xx) is a 503 with ``Retry-After``, the order kept pending for
the retry, which answers for the same order; Snap refusing (4xx) is a 502, the order failed and
its lines back in the cart. Every checkout is sent with an ``Idempotency-Key`` and retried with
it once the stand-in is mended.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from battery_support import Battery, sized
from fault_load import HeaderAuth, Write, checkout_app, make_buyers, run_write
from fault_proxy import FaultProxy
from notify_live import PG_URL
from payment_helpers import StandIn, standin  # noqa: F401  (fixture)
from sqlalchemy import select

from conftest_helpers import empty_database
from esensi.models.sales import TSales
from rlib import DatabaseConfig
from rlib.db.engine import Database

pytestmark = [pytest.mark.battery]

SNAP_TIMEOUT_S = 2  # checkout_app's snap_timeout_s
# (line, proxy mode or stand-in snap mode, status while faulty, order status while faulty)
CASES = [
    ("F8.1", "down", 503, "pending"),
    ("F8.2", "reset", 503, "pending"),
    ("F8.3", "blackhole", 503, "pending"),
    ("F8.4", "latency", 200, "pending"),
    ("F8.5", "error", 503, "pending"),
    ("F8.6", "reject", 502, "failed"),
]


@pytest.fixture
async def shop_db(migrated_urls: dict[str, str]) -> AsyncIterator[Database]:
    database = Database(DatabaseConfig(url=migrated_urls["postgresql" if PG_URL else "sqlite"]))
    try:
        await empty_database(database)
        yield database
    finally:
        await database.dispose()


async def test_midtrans_faults_during_checkout(
    shop_db: Database,
    standin: StandIn,  # noqa: F811
    battery: Battery,
) -> None:
    per_case = sized(ci=4, report=20)
    auth = HeaderAuth()
    async with FaultProxy("127.0.0.1", int(standin.url.rsplit(":", 1)[1])) as proxy:
        proxy.latency_s = 0.3
        proxied = StandIn(standin.state, f"http://127.0.0.1:{proxy.port}")
        async with checkout_app(shop_db.config.url, proxied, auth) as client:
            for line, mode, want, order_status in CASES:
                writes = await make_buyers(shop_db, auth, per_case)
                if mode in ("error", "reject"):
                    standin.state.snap_mode = mode
                else:
                    await proxy.set_mode(mode)  # type: ignore[arg-type]
                started = time.monotonic()
                once = time.monotonic() + 30
                await asyncio.gather(*(run_write(client, w, once, tries=1) for w in writes))
                slowest = time.monotonic() - started
                faulty = [a for w in writes for a in w.answers]
                orders_during = await _orders(shop_db, writes, auth)
                standin.state.snap_mode = "ok"
                await proxy.start()
                mended = time.monotonic() + 10
                await asyncio.gather(*(run_write(client, w, mended) for w in writes))
                orders_after = await _orders(shop_db, writes, auth)
                _record(
                    battery, line, mode, want, order_status, writes, faulty, slowest,
                    orders_during, orders_after,
                )  # fmt: skip


def _record(
    battery: Battery,
    line: str,
    mode: str,
    want: int,
    order_status: str,
    writes: list[Write],
    faulty: list,  # type: ignore[type-arg]
    slowest: float,
    during: dict[str, list[str]],
    after: dict[str, list[str]],
) -> None:
    statuses = Counter(a.status for a in faulty)
    no_retry_after = sum(1 for a in faulty if a.status == 503 and not a.retry_after)
    acknowledged = [w.acknowledged for w in writes]
    ok_after = all(a is not None for a in acknowledged)
    if want == 200:
        consistent = all(v == ["pending"] for v in after.values())
    elif order_status == "pending":
        # The same pending order before and after, answered for by the retry.
        consistent = during == after and all(v == ["pending"] for v in after.values())
    else:  # refused: the order failed, the retry placed a new one from the cart given back
        consistent = all(sorted(v) == ["failed", "pending"] for v in after.values())
    battery.check(
        line,
        f"midtrans {mode}: statuses / orders per customer after the retry",
        f"{want} / {order_status}{'' if order_status == 'pending' else ' + pending'}",
        f"{dict(statuses)} in {slowest:.1f} s / "
        f"{dict(Counter(tuple(sorted(v)) for v in after.values()))}",
        set(statuses) == {want} and no_retry_after == 0 and ok_after and consistent,
    )


async def _orders(
    database: Database, writes: list[Write], auth: HeaderAuth
) -> dict[str, list[str]]:
    """Each buyer's orders (not the cart) as ``status`` strings."""
    customers = {str(auth.users[w.user].profiles["customer"]): w.user for w in writes}
    async with database.sessionmaker() as db:
        rows = await db.execute(
            select(TSales.id_customer, TSales.status).where(
                TSales.id_customer.in_([auth.users[w.user].profiles["customer"] for w in writes]),
                TSales.status != "cart",
            )
        )
        found: dict[str, list[str]] = {user: [] for user in customers.values()}
        for customer, status in rows.all():
            found[customers[str(customer)]].append(str(status))
    return found
