"""PostgreSQL LISTEN/NOTIFY bus (asyncpg), for a PostgreSQL deployment without Redis.

One dedicated listening connection per process, outside the request pool; publishing uses a
second dedicated connection. A lost listener is noticed (termination callback, and a probe
every ``probe_s``) and replaced; each new ``LISTEN`` calls ``on_reconnect`` so sockets catch
up. ``NOTIFY`` payloads are limited to 8000 bytes: a notification too big for that travels
as its id and each process reads the row.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

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

MAX_PAYLOAD = 7900  # PostgreSQL's limit is 8000 bytes


def asyncpg_dsn(url: str) -> str:
    """A libpq DSN from an SQLAlchemy URL (``postgresql+asyncpg://…``)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def fit(event: Event) -> bytes:
    """The payload of ``event``, a new notification shrunk to its id when it is too big."""
    raw = encode(event)
    if len(raw) > MAX_PAYLOAD and event.get("k") == "new":
        raw = encode({"k": "fetch", "u": event["u"], "id": event["n"]["id"]})
    return raw


class PostgresBus(Bus):
    """``NOTIFY channel, payload`` to publish; ``LISTEN channel`` on its own connection."""

    name = "postgres"

    def __init__(
        self,
        url: str,
        channel: str = "rlib_notif",
        *,
        timeout_s: float = 2.0,
        reconnect_s: float = 0.5,
        probe_s: float = 5.0,
    ) -> None:
        self.dsn = asyncpg_dsn(url)
        self.channel = channel
        self.timeout_s = timeout_s
        self.reconnect_s = reconnect_s
        self.probe_s = probe_s
        self._publisher: Any = None
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def start(self, on_event: EventHandler, on_reconnect: ReconnectHandler) -> None:
        self._task = asyncio.create_task(self._listen(on_event, on_reconnect))

    async def publish(self, event: Event) -> None:
        payload = fit(event).decode()
        async with self._lock:
            if self._publisher is None or self._publisher.is_closed():
                self._publisher = await asyncpg.connect(self.dsn, timeout=self.timeout_s)
            try:
                await self._publisher.execute(
                    "SELECT pg_notify($1, $2)", self.channel, payload, timeout=self.timeout_s
                )
            except BaseException:
                await _close(self._publisher)
                self._publisher = None
                raise

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            # Shutting down must not fail because the listener did (battery F1).
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        async with self._lock:
            if self._publisher is not None:
                await _close(self._publisher)
                self._publisher = None

    async def _listen(self, on_event: EventHandler, on_reconnect: ReconnectHandler) -> None:
        while True:
            try:
                await self._session(on_event, on_reconnect)
            except Exception as exc:
                # Any failure, not only the network's: a connection left mid-operation by a
                # restart raises asyncpg's InternalClientError ("cannot switch to state"),
                # which once ended this task and with it every delivery of the process.
                logger.warning(
                    "notify bus (postgres) lost: %s; listening again", type(exc).__name__
                )
            await asyncio.sleep(self.reconnect_s)

    async def _session(self, on_event: EventHandler, on_reconnect: ReconnectHandler) -> None:
        inbox: asyncio.Queue[str | None] = asyncio.Queue()
        conn = await asyncpg.connect(self.dsn, timeout=self.timeout_s)
        try:
            conn.add_termination_listener(lambda _conn: inbox.put_nowait(None))
            await conn.add_listener(
                self.channel, lambda _c, _pid, _ch, payload: inbox.put_nowait(payload)
            )
            await guarded(on_reconnect())
            while True:
                try:
                    async with asyncio.timeout(self.probe_s):
                        payload = await inbox.get()
                except TimeoutError:
                    task = asyncio.current_task()
                    if task is not None and task.cancelling():
                        raise asyncio.CancelledError from None  # closing: the timeout won a race
                    await conn.execute("SELECT 1", timeout=self.timeout_s)  # still alive?
                    continue
                if payload is None:
                    raise ConnectionResetError("listening connection closed")
                try:
                    event = decode(payload)
                except ValueError:
                    logger.warning("notify bus (postgres): malformed event dropped")
                    continue
                await guarded(on_event(event))
        finally:
            await _close(conn)


async def _close(conn: Any) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(conn.close(), timeout=1.0)
