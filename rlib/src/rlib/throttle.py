"""Rate-limit counters: fixed windows in Redis (one script) or the database (one upsert).

An attempt reserves its slot before the expensive work runs, so N parallel attempts let
exactly ``limit`` through. Counters are written in their own unit of work: a failed sign-in
rolls its request back, and the failure must still count. Redis failing falls back to the
database, never open: within :data:`REDIS_TIMEOUT_S`, and for :data:`REDIS_PAUSE_S` after a
failure the database is used straight away (battery F5: with Redis silent, every sign-in
waited 10 s for it).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import math
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from rlib.config import RateRule as Rule
from rlib.db.tx import UnitOfWork
from rlib.db.types import BoundedInteger, BoundedString, UtcDateTime
from rlib.errors import RateLimitedError

logger = logging.getLogger("rlib.throttle")

# How long a throttle call waits for Redis, and how long the database stands in after a failure.
REDIS_TIMEOUT_S = 0.5
REDIS_PAUSE_S = 5.0


def throttle_redis(url: str) -> Redis:
    """The throttle's Redis client: short timeouts, no silent retries (the database is the
    fallback, so waiting for Redis only delays the answer)."""
    return Redis.from_url(
        url,
        socket_connect_timeout=REDIS_TIMEOUT_S,
        socket_timeout=REDIS_TIMEOUT_S,
        retry=Retry(NoBackoff(), 0),
    )


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class RateLimitColumns:
    """Columns of the counter table (``auth_rate_limit``); upserted, so no timestamps."""

    key: Mapped[str] = mapped_column(BoundedString(255), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    count: Mapped[int] = mapped_column(BoundedInteger)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class Counter(Protocol):
    """One counter store."""

    async def hit(
        self, unit: UnitOfWork, key: str, rule: Rule, now: dt.datetime
    ) -> tuple[int, int]:
        """Count one hit in a unit of its own, committed at once, so a failure rolling the
        request back still counts; returns (count in the window, seconds left in it)."""
        ...

    async def refund(self, unit: UnitOfWork, key: str) -> None:
        """Give back one hit (a successful attempt does not count)."""
        ...

    async def clear(self, unit: UnitOfWork, key: str) -> None:
        """Forget the key (a password reset unlocks the account)."""
        ...


class DatabaseCounter:
    """Counters in a table with :class:`RateLimitColumns`, one upsert per hit."""

    def __init__(self, table: type[RateLimitColumns]) -> None:
        self.table = table

    async def hit(
        self, unit: UnitOfWork, key: str, rule: Rule, now: dt.datetime
    ) -> tuple[int, int]:
        t = self.table
        ends = now + dt.timedelta(seconds=rule.window_s)
        expired = t.expires_at <= now
        dialect = unit.session.get_bind().dialect.name
        insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = (
            insert(t)
            .values(key=key, window_start=now, count=1, expires_at=ends)
            .on_conflict_do_update(
                index_elements=[t.key],
                set_={
                    "count": case((expired, 1), else_=t.count + 1),
                    "window_start": case((expired, now), else_=t.window_start),
                    "expires_at": case((expired, ends), else_=t.expires_at),
                },
            )
            .returning(t.count, t.expires_at)
        )
        async with unit.separately() as sibling:
            count, expires_at = (await sibling.session.execute(stmt)).one()
        return int(count), _seconds(expires_at - now)

    async def refund(self, unit: UnitOfWork, key: str) -> None:
        # In the request's own transaction: a refund only follows a success, which commits,
        # and a second writer would break SQLite's snapshot of that transaction.
        t = self.table
        stmt = update(t).where(t.key == key, t.count > 0).values(count=t.count - 1)
        await unit.session.execute(stmt.execution_options(synchronize_session=False))

    async def clear(self, unit: UnitOfWork, key: str) -> None:
        t = self.table
        stmt = delete(t).where(t.key == key).execution_options(synchronize_session=False)
        await unit.session.execute(stmt)


_HIT_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
"""
_REFUND_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[1])) > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""


class RedisCounter:
    """Counters in Redis: INCR and the expiry in one script, so a hit is atomic."""

    def __init__(self, client: Any, *, prefix: str = "rlib:throttle:") -> None:
        self.client = client  # redis.asyncio.Redis; untyped upstream
        self.prefix = prefix

    async def hit(
        self, unit: UnitOfWork, key: str, rule: Rule, now: dt.datetime
    ) -> tuple[int, int]:
        count, ttl_ms = await self.client.eval(
            _HIT_SCRIPT, 1, self.prefix + key, rule.window_s * 1000
        )
        return int(count), max(1, math.ceil(int(ttl_ms) / 1000))

    async def refund(self, unit: UnitOfWork, key: str) -> None:
        await self.client.eval(_REFUND_SCRIPT, 1, self.prefix + key)

    async def clear(self, unit: UnitOfWork, key: str) -> None:
        await self.client.delete(self.prefix + key)


class Throttle:
    """Reserve, refund and clear attempts; Redis first when configured, else the database.

    Args:
        database: the counter in the app's table (always available).
        redis: the Redis counter, or None.
        clock: the current time (tests pass a fake clock).
    """

    def __init__(
        self,
        database: Counter,
        redis: Counter | None = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.database = database
        self.redis = redis
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._redis_back_at = 0.0  # monotonic: Redis is skipped until then after a failure

    async def take(self, unit: UnitOfWork, key: str, rule: Rule) -> None:
        """Count one attempt; raise 429 (``Retry-After``) when the window is already full."""
        now = self.clock()
        count, retry_after = await self._call("hit", unit, key, rule, now)
        if count > rule.limit:
            logger.warning("throttled", extra={"throttle_key": key.split(":", 1)[0]})
            raise RateLimitedError(retry_after)

    async def refund(self, unit: UnitOfWork, key: str) -> None:
        """Give one attempt back."""
        await self._call("refund", unit, key)

    async def clear(self, unit: UnitOfWork, key: str) -> None:
        """Forget every attempt of ``key``."""
        await self._call("clear", unit, key)

    async def _call(self, name: str, unit: UnitOfWork, *args: Any) -> Any:
        if self.redis is not None and time.monotonic() >= self._redis_back_at:
            try:
                return await getattr(self.redis, name)(unit, *args)
            except (OSError, ConnectionError) as exc:
                logger.warning("redis throttle unavailable, using the database: %s", exc)
            except Exception as exc:
                if type(exc).__module__.startswith("redis"):
                    logger.warning("redis throttle failed, using the database: %s", exc)
                else:
                    raise
            self._redis_back_at = time.monotonic() + REDIS_PAUSE_S
        return await getattr(self.database, name)(unit, *args)


def _seconds(delta: dt.timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def parse_networks(cidrs: Sequence[str]) -> tuple[Network, ...]:
    """CIDR strings (``10.0.0.0/8``, ``::1``) as networks; raises ValueError on a bad one."""
    return tuple(ipaddress.ip_network(c.strip(), strict=False) for c in cidrs)


def client_ip(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The client address: the socket peer, or, when the peer is a trusted proxy, the first
    untrusted address of ``X-Forwarded-For`` walking right to left."""
    candidate = peer or "unknown"
    if not forwarded_for or not _trusted(candidate, trusted):
        return candidate
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return candidate
        candidate = hop
        if not _trusted(candidate, trusted):
            return candidate
    return candidate


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def ip_bucket(address: str) -> str:
    """The throttle key of an address: IPv4 as is, IPv6 by its /64 (one subscriber)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
