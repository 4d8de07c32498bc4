"""Rate-limit counters: atomic under concurrency, windows, refunds; database and Redis (R2, R3)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from sqlalchemy.orm import DeclarativeBase

from rlib.config import RateRule
from rlib.db.base import make_base
from rlib.db.engine import Database
from rlib.errors import RateLimitedError
from rlib.testing import fresh_database, sqlite_url
from rlib.throttle import (
    REDIS_TIMEOUT_S,
    DatabaseCounter,
    RateLimitColumns,
    RedisCounter,
    Throttle,
    throttle_redis,
)

REDIS_URL = os.environ.get("ESENSI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
Base: type[DeclarativeBase] = make_base()


class Counter(RateLimitColumns, Base):  # type: ignore[misc, valid-type]  # base from a factory
    __tablename__ = "rate_limit"


@pytest.fixture
async def counter_db(backend: str, tmp_path: Path) -> AsyncIterator[Database]:
    url = (
        sqlite_url(tmp_path) if backend == "sqlite" else str(os.environ["ESENSI_TEST_DATABASE_URL"])
    )
    async with fresh_database(url, Base.metadata) as db:
        yield db


@pytest.fixture(params=["database", "redis"])
async def throttle(request, counter_db: Database) -> AsyncIterator[Throttle]:
    clock = Clock()
    if request.param == "database":
        yield Throttle(DatabaseCounter(Counter), clock=clock)
        return
    client = aioredis.from_url(REDIS_URL)
    prefix = f"test:{uuid.uuid4().hex}:"
    try:
        yield Throttle(DatabaseCounter(Counter), RedisCounter(client, prefix=prefix), clock=clock)
    finally:
        keys = [k async for k in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


async def _try(throttle: Throttle, db: Database, key: str, rule: RateRule) -> bool:
    unit = db.unit()
    try:
        await throttle.take(unit, key, rule)
    except RateLimitedError as exc:
        retry_after = int(exc.headers["Retry-After"])
        return retry_after < 1  # never: a refusal always says when to come back
    finally:
        await unit.close()
    return True


async def test_concurrent_attempts_let_exactly_the_limit_through(throttle, counter_db):
    rule = RateRule(5, 300)
    results = await asyncio.gather(*(_try(throttle, counter_db, "k", rule) for _ in range(50)))
    assert results.count(True) == 5


async def test_window_ends_and_refund_gives_a_slot_back(throttle, counter_db):
    rule = RateRule(2, 60)
    assert [await _try(throttle, counter_db, "w", rule) for _ in range(3)] == [True, True, False]
    unit = counter_db.unit()
    await throttle.clear(unit, "w")
    await unit.commit()
    await unit.close()
    assert await _try(throttle, counter_db, "w", rule)


async def test_database_window_restarts_after_expiry(counter_db):
    clock = Clock()
    throttle = Throttle(DatabaseCounter(Counter), clock=clock)
    rule = RateRule(1, 60)
    assert await _try(throttle, counter_db, "e", rule)
    assert not await _try(throttle, counter_db, "e", rule)
    clock.now += dt.timedelta(seconds=61)
    assert await _try(throttle, counter_db, "e", rule)


async def test_redis_down_falls_back_to_the_database(counter_db):
    dead = aioredis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    throttle = Throttle(DatabaseCounter(Counter), RedisCounter(dead), clock=Clock())
    rule = RateRule(1, 60)
    try:
        assert await _try(throttle, counter_db, "r", rule)
        assert not await _try(throttle, counter_db, "r", rule)
    finally:
        await dead.aclose()


class _Counting(RedisCounter):
    calls = 0

    async def hit(self, unit, key, rule, now):
        self.calls += 1
        return await super().hit(unit, key, rule, now)


async def test_a_silent_redis_costs_one_short_wait_then_the_database_stands_in(counter_db):
    # Battery F5: Redis accepting connections but never answering held every sign-in for 10 s
    # (no socket timeout, silent retries). A blackhole: a listener that never accepts reads.
    with socket.socket() as hole:
        hole.bind(("127.0.0.1", 0))
        hole.listen(16)
        client = throttle_redis(f"redis://127.0.0.1:{hole.getsockname()[1]}/0")
        redis = _Counting(client)
        throttle = Throttle(DatabaseCounter(Counter), redis, clock=Clock())
        rule = RateRule(2, 60)
        try:
            async with asyncio.timeout(30):  # without a socket timeout: no answer, ever
                found = [await _try(throttle, counter_db, "s", rule) for _ in range(3)]
        finally:
            await client.aclose()
    assert found == [True, True, False]  # counted in the database, never open
    assert redis.calls == 1  # Redis skipped for a while after the failure
    kwargs = client.connection_pool.connection_kwargs
    assert kwargs["socket_timeout"] == kwargs["socket_connect_timeout"] == REDIS_TIMEOUT_S
