"""Redis pub/sub bus (``redis.asyncio``): one subscription per process on one channel.

The subscriber runs in its own task and never gives up: after any error it waits
``reconnect_s`` and subscribes again. Every subscription confirmation (the first, and any
re-subscription, including one redis-py performed by itself) calls ``on_reconnect``, so the
sockets of this process catch up from the table whatever was published in between.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from rlib.notify.bus.base import (
    Bus,
    Event,
    EventHandler,
    ReconnectHandler,
    decode,
    encode,
    guarded,
)

logger = logging.getLogger("rlib.notify")


class RedisBus(Bus):
    """Publishes with ``PUBLISH``; listens with one ``SUBSCRIBE`` per process."""

    name = "redis"

    def __init__(
        self,
        url: str,
        channel: str = "rlib:notif",
        *,
        timeout_s: float = 1.0,
        reconnect_s: float = 0.5,
    ) -> None:
        self.url = url
        self.channel = channel
        self.timeout_s = timeout_s
        self.reconnect_s = reconnect_s
        self._publisher: Redis | None = None
        self._task: asyncio.Task[None] | None = None

    def _client(self, *, reads_block: bool) -> Redis:
        # No silent retries: a lost connection surfaces here, so the listener knows to resync.
        return Redis.from_url(
            self.url,
            socket_connect_timeout=self.timeout_s,
            socket_timeout=None if reads_block else self.timeout_s,
            retry=Retry(NoBackoff(), 0),
        )

    async def start(self, on_event: EventHandler, on_reconnect: ReconnectHandler) -> None:
        self._publisher = self._client(reads_block=False)
        self._task = asyncio.create_task(self._listen(on_event, on_reconnect))

    async def publish(self, event: Event) -> None:
        if self._publisher is None:
            raise RuntimeError("the bus is not started")
        await self._publisher.publish(self.channel, encode(event))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._publisher is not None:
            await self._publisher.aclose()
            self._publisher = None

    async def _listen(self, on_event: EventHandler, on_reconnect: ReconnectHandler) -> None:
        while True:
            client = self._client(reads_block=True)
            pubsub = client.pubsub()
            try:
                await pubsub.subscribe(self.channel)
                await self._pump(pubsub, on_event, on_reconnect)
            except (RedisError, OSError) as exc:
                logger.warning("notify bus (redis) lost: %s; resubscribing", type(exc).__name__)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                with contextlib.suppress(RedisError, OSError):
                    await client.aclose()
            await asyncio.sleep(self.reconnect_s)

    async def _pump(
        self, pubsub: PubSub, on_event: EventHandler, on_reconnect: ReconnectHandler
    ) -> None:
        while True:
            message = await pubsub.get_message(timeout=None)
            if message is None:
                continue
            if message["type"] == "subscribe":
                await guarded(on_reconnect())
            elif message["type"] == "message":
                try:
                    event = decode(message["data"])
                except ValueError:
                    logger.warning("notify bus (redis): malformed event dropped")
                    continue
                await guarded(on_event(event))
