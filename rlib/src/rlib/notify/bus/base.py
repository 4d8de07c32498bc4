"""The bus interface every backend implements, and how events are put on the wire.

An event is a small JSON object; ``k`` says what happened:

- ``new``: a notification for user ``u`` (the stored row in ``n``);
- ``fetch``: the same, by id only (``id``), when the row is too big for the backend;
- ``upd`` / ``del``: user ``u``'s notifications ``ids`` changed status (``status``) / were deleted;
- ``bc``: a broadcast wrote rows ``first..last`` (each process reads those of its own users);
- ``rev``: some of user ``u``'s sessions were revoked (each process re-checks its sockets);
- ``sync``: a publish failed somewhere; every socket of every process catches up from the table.

Delivery is at most once on the bus itself; nothing is lost because the rows are committed
before the publish and every socket catches up from the table when its process resubscribes.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

logger = logging.getLogger("rlib.notify")

Event = dict[str, Any]
EventHandler = Callable[[Event], Awaitable[None]]
ReconnectHandler = Callable[[], Awaitable[None]]


def encode(event: Event) -> bytes:
    """The wire form of ``event``."""
    return orjson.dumps(event)


def decode(raw: bytes | str) -> Event:
    """An event from its wire form."""
    found = orjson.loads(raw)
    if not isinstance(found, dict):
        raise ValueError("a bus event is a JSON object")
    return found


class Bus(abc.ABC):
    """Publish events to every process; deliver every process's events to this one.

    ``start`` subscribes once per process and keeps the subscription alive by itself:
    after any loss it reconnects and calls ``on_reconnect`` so sockets catch up from the table.
    ``publish`` raises on failure; the caller logs it (the rows are committed already).
    """

    name: str = "bus"

    @abc.abstractmethod
    async def start(self, on_event: EventHandler, on_reconnect: ReconnectHandler) -> None:
        """Subscribe (in the background) and begin delivering events."""

    @abc.abstractmethod
    async def publish(self, event: Event) -> None:
        """Send ``event`` to every subscribed process (this one included)."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Stop the subscription and release connections."""


async def guarded(awaitable: Awaitable[None]) -> None:
    """Await a handler; its failure is logged and never stops a subscription."""
    try:
        await awaitable
    except Exception:
        logger.exception("notify event handler failed")
