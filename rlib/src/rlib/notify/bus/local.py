"""In-process bus: for one process (SQLite, development, tests without Redis or PostgreSQL).

Buses on the same channel in one process share a broker, so two apps built in one test process
see each other's events as two processes would through Redis.
"""

from __future__ import annotations

import logging

from rlib.notify.bus.base import Bus, Event, EventHandler, ReconnectHandler, decode, encode

logger = logging.getLogger("rlib.notify")

_BROKER: dict[str, set[LocalBus]] = {}


class LocalBus(Bus):
    """Delivers each event to every started bus of its channel in this process."""

    name = "local"

    def __init__(self, channel: str = "rlib:notif") -> None:
        self.channel = channel
        self._on_event: EventHandler | None = None

    async def start(self, on_event: EventHandler, on_reconnect: ReconnectHandler) -> None:
        self._on_event = on_event
        _BROKER.setdefault(self.channel, set()).add(self)

    async def publish(self, event: Event) -> None:
        raw = encode(event)  # each subscriber gets its own copy, as over a wire
        for bus in list(_BROKER.get(self.channel, ())):
            if bus._on_event is None:
                continue
            try:
                await bus._on_event(decode(raw))
            except Exception:
                logger.exception("notify event handler failed")

    async def close(self) -> None:
        _BROKER.get(self.channel, set()).discard(self)
        self._on_event = None
