"""The write load of the database fault tests: checkouts with ``Idempotency-Key`` at a fixed
rate, each retried (same key) until it is acknowledged, every answer recorded with its time.

Each write is one customer's checkout of a one-book cart, so the database says afterwards
exactly what was written: one pending order per acknowledged write, no other order.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import httpx
from payment_helpers import StandIn, midtrans_settings
from sqlalchemy import func, select

from esensi.app import build_app
from esensi.models.sales import TSales
from esensi.services import idempotency
from esensi.settings import Settings
from factories import make_author, make_user
from factories.catalogue import make_customer, make_order, make_product
from rlib import Ctx, DatabaseConfig
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.registry import Route
from rlib.testing import app_client


class HeaderAuth:
    """Signs a request in as the customer named by its ``X-Battery-User`` header."""

    def __init__(self) -> None:
        self.users: dict[str, SessionUser] = {}

    async def __call__(self, ctx: Ctx, route: Route) -> None:
        ctx.user = self.users.get(ctx.req.headers.get("x-battery-user", ""))


@dataclass
class Answer:
    sent: float  # monotonic
    done: float
    status: int  # 0: no HTTP answer (transport error)
    retry_after: str | None
    order_id: str | None = None
    code: str = ""  # the error envelope's code


@dataclass
class Write:
    user: str
    key: str
    answers: list[Answer] = field(default_factory=list)

    @property
    def acknowledged(self) -> Answer | None:
        return next((a for a in self.answers if a.status == 200), None)


async def make_buyers(database: Database, auth: HeaderAuth, count: int) -> list[Write]:
    """``count`` verified customers, each with a one-book cart; one write each."""
    writes = []
    async with database.sessionmaker() as db:
        author = await make_author(db)
        book = await make_product(db, author, real_price=Decimal(40_000))
        for _ in range(count):
            user = await make_user(db, email_verified=True)
            customer = await make_customer(db, id_user=user.id, email=user.email)
            await make_order(db, customer, "cart", book)
            name = str(user.id)
            auth.users[name] = SessionUser(
                id=user.id, profiles={"customer": customer.id}, email=user.email,
                email_verified=True,
            )  # fmt: skip
            writes.append(Write(name, f"battery-{uuid.uuid4()}"))
        await db.commit()
    return writes


@asynccontextmanager
async def checkout_app(
    url: str, standin: StandIn, auth: HeaderAuth, *, pool_size: int = 8
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app on ``url`` (production's pool size, a 2 s pool timeout: D6)."""
    settings = Settings(
        env="test",
        database_url=url,
        midtrans=midtrans_settings(standin.url, snap_timeout_s=2, status_timeout_s=2),
    )
    app = build_app(settings, authenticator=auth)
    database = Database(DatabaseConfig(url=url, pool_size=pool_size, pool_timeout_s=2))
    app.use_database(database)
    try:
        async with app_client(app) as client:
            yield client
    finally:
        await idempotency.settle()
        await database.dispose()


async def run_write(
    client: httpx.AsyncClient,
    write: Write,
    deadline: float,
    pause: float = 0.2,
    *,
    tries: int | None = None,
) -> None:
    """Send the checkout until it is acknowledged (same key each time), ``deadline`` passes
    or ``tries`` were made."""
    headers = {"Idempotency-Key": write.key, "X-Battery-User": write.user}
    made = 0
    while time.monotonic() < deadline and (tries is None or made < tries):
        made += 1
        sent = time.monotonic()
        try:
            response = await client.post("/checkout", json={}, headers=headers)
        except httpx.HTTPError:
            write.answers.append(Answer(sent, time.monotonic(), 0, None))
        else:
            body = response.json()
            order = body.get("data") if response.status_code == 200 else None
            write.answers.append(
                Answer(
                    sent,
                    time.monotonic(),
                    response.status_code,
                    response.headers.get("retry-after"),
                    order["order_id"] if order else None,
                    "" if order else str(body.get("code", "")),
                )
            )
            if response.status_code == 200:
                return
            if response.headers.get("retry-after"):  # as a client should: wait, with jitter
                await asyncio.sleep(float(response.headers["retry-after"]) * random.uniform(0.5, 1))
                continue
        await asyncio.sleep(pause)


async def steady_load(
    client: httpx.AsyncClient, writes: list[Write], rate: float, deadline: float
) -> None:
    """Start one write every ``1 / rate`` seconds; wait for all of them."""
    tasks = []
    for write in writes:
        tasks.append(asyncio.create_task(run_write(client, write, deadline)))
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)


@dataclass
class Outcome:
    acknowledged: int
    lost: int
    duplicates: int
    unacknowledged: int


async def outcome(url: str, writes: list[Write]) -> Outcome:
    """What the database at ``url`` holds against what was acknowledged (a new pool: the
    fault may have broken the others' connections)."""
    database = Database(DatabaseConfig(url=url, pool_size=1))
    try:
        return await _outcome(database, writes)
    finally:
        await database.dispose()


async def _outcome(database: Database, writes: list[Write]) -> Outcome:
    async with database.sessionmaker() as db:
        rows = (
            await db.execute(
                select(TSales.midtrans_order_id, func.count())
                .where(TSales.status != "cart")
                .group_by(TSales.midtrans_order_id)
            )
        ).all()
        per_customer = (
            await db.execute(
                select(TSales.id_customer, func.count())
                .where(TSales.status != "cart")
                .group_by(TSales.id_customer)
            )
        ).all()
    stored = {str(order): n for order, n in rows}
    acknowledged = [w.acknowledged for w in writes]
    ids = [a.order_id for a in acknowledged if a is not None]
    replays = Counter(
        (w.key, a.order_id) for w in writes for a in w.answers if a.status == 200
    )  # one acknowledged answer per key: a retry stops at the first
    lost = sum(1 for order in ids if order not in stored)
    duplicates = sum(n - 1 for _, n in per_customer if n > 1) + (len(replays) - len(ids))
    return Outcome(len(ids), lost, duplicates, len(writes) - len(ids))


def statuses(writes: list[Write], start: float, end: float) -> Counter[int]:
    """Statuses of the answers to requests sent and answered between ``start`` and ``end``."""
    return Counter(a.status for w in writes for a in w.answers if start <= a.sent and a.done <= end)


def without_retry_after(writes: list[Write], kinds: tuple[int, ...] = (503,)) -> int:
    return sum(1 for w in writes for a in w.answers if a.status in kinds and not a.retry_after)


def first_success_after(writes: list[Write], moment: float) -> float | None:
    """Seconds from ``moment`` to the first acknowledged write sent after it."""
    done = [a.done for w in writes for a in w.answers if a.status == 200 and a.sent >= moment]
    return min(done) - moment if done else None


def drained_after(writes: list[Write], moment: float) -> float:
    """Seconds from ``moment`` to the last error answered to a request sent after it (0: none):
    how long the backlog an outage left took to drain."""
    done = [a.done for w in writes for a in w.answers if a.status != 200 and a.sent >= moment]
    return max(done) - moment if done else 0.0


async def read_load(
    client: httpx.AsyncClient, writes: list[Write], until: float, pause: float = 0.05
) -> list[Answer]:
    """``GET /cart`` of each buyer in turn (read-only units: the native pool) until ``until``."""
    answers: list[Answer] = []
    n = 0
    while time.monotonic() < until:
        write = writes[n % len(writes)]
        n += 1
        sent = time.monotonic()
        response = await client.get("/cart", headers={"X-Battery-User": write.user})
        answers.append(
            Answer(
                sent, time.monotonic(), response.status_code, response.headers.get("retry-after")
            )
        )
        await asyncio.sleep(pause)
    return answers
