"""The process's side of the bus: which sockets are open here, and what each event means for them.

One :class:`Hub` per app process subscribes to the bus once, keeps the open sockets by user and
turns bus events into frames. It never blocks on a socket: frames go into each socket's bounded
queue (a full queue drops that socket, see :mod:`rlib.notify.ws`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from rlib.config import NotifyConfig
from rlib.db.engine import Database
from rlib.notify import store
from rlib.notify.bus.base import Bus, Event
from rlib.notify.send import Notifier
from rlib.notify.types import NotifOut, WSMessageAction

if TYPE_CHECKING:
    from rlib.notify.ws import Socket


def notif_frame(action: WSMessageAction, row: NotifOut | dict[str, Any]) -> str:
    """The encoded ``{"action", "notif"}`` frame of one notification."""
    notif = row.model_dump(mode="json") if isinstance(row, NotifOut) else row
    return orjson.dumps({"action": action.value, "notif": notif}).decode()


logger = logging.getLogger("rlib.notify")

CLOSE_GOING_AWAY = 1001
CLOSE_TRY_AGAIN = 1013
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN_ORIGIN = 4403


@dataclass(frozen=True, slots=True)
class SocketIdentity:
    """Who a socket belongs to, fixed at the handshake."""

    user_id: Any
    session_id: Any


class SocketAuth(Protocol):
    """How the auth layer vouches for a socket (``rlib.auth.sockets`` provides one)."""

    async def identify(self, db: AsyncSession, token: str) -> SocketIdentity | None:
        """The live session of ``token``, or None."""
        ...

    async def live(self, db: AsyncSession, session_ids: Collection[Any]) -> set[Any]:
        """Which of ``session_ids`` are still live."""
        ...


class Hub:
    """Open sockets of this process and the bus subscription that feeds them."""

    def __init__(
        self,
        *,
        notifier: Notifier,
        bus: Bus,
        database: Callable[[], Database],
        auth: SocketAuth,
        config: NotifyConfig,
    ) -> None:
        self.notifier = notifier
        self.table = notifier.table
        self.bus = bus
        self.auth = auth
        self.config = config
        self._database = database
        self._sockets: dict[str, set[Socket]] = {}
        self.reconnects = 0
        self._recheck: asyncio.Task[None] | None = None
        self._pinger: asyncio.Task[None] | None = None
        self._watchdog: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Subscribe to the bus and start re-checking sessions periodically."""
        self.notifier.attach(self.bus)
        await self.bus.start(self._on_event, self._on_reconnect)
        self._recheck = asyncio.create_task(self._recheck_loop())
        self._pinger = asyncio.create_task(self._ping_loop())
        self._watchdog = asyncio.create_task(self._watchdog_loop())

    async def stop(self) -> None:
        """Close every socket (1001) and the bus."""
        self.notifier.detach(self.bus)
        for task in (self._recheck, self._pinger, self._watchdog):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for sockets in list(self._sockets.values()):
            for socket in list(sockets):
                socket.drop(1001)
        await self.bus.close()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A short read-only session outside any request."""
        session = self._database().sessionmaker()
        try:
            yield session
        finally:
            with contextlib.suppress(Exception):
                await session.rollback()
            await session.close()

    def sockets_of(self, user_key: str) -> set[Socket]:
        """This process's open sockets of one user."""
        return self._sockets.get(user_key, set())

    def count(self) -> int:
        """How many sockets are open in this process."""
        return sum(len(s) for s in self._sockets.values())

    def register(self, socket: Socket) -> bool:
        """Admit ``socket``; False when its user has the maximum number open already."""
        sockets = self._sockets.setdefault(socket.user_key, set())
        if len(sockets) >= self.config.max_sockets_per_user:
            return False
        sockets.add(socket)
        return True

    def unregister(self, socket: Socket) -> None:
        """Forget ``socket``."""
        sockets = self._sockets.get(socket.user_key)
        if sockets is not None:
            sockets.discard(socket)
            if not sockets:
                del self._sockets[socket.user_key]

    async def _on_event(self, event: Event) -> None:
        kind = event.get("k")
        user_key = str(event.get("u", ""))
        if kind == "new":
            sockets = list(self.sockets_of(user_key))
            if sockets:  # encoded once for all of them
                action = WSMessageAction(event.get("a", WSMessageAction.NEW_NOTIF.value))
                notif_id, text = int(event["n"]["id"]), notif_frame(action, event["n"])
                for socket in sockets:
                    socket.offer(notif_id, text)
        elif kind == "fetch":
            await self._fetch(user_key, int(event["id"]))
        elif kind == "upd":
            frame = {"action": WSMessageAction.UPDATE_NOTIF.value, "ids": event["ids"]}
            frame["status"] = event["status"]
            self._to_user(user_key, frame)
        elif kind == "del":
            frame = {"action": WSMessageAction.DELETE_NOTIF.value, "ids": event["ids"]}
            self._to_user(user_key, frame)
        elif kind == "bc":
            await self._broadcast(int(event["first"]), int(event["last"]))
        elif kind == "rev":
            await self.recheck(list(self.sockets_of(user_key)))
        elif kind == "sync":  # events were not published: read what they would have said
            self._resync_all()
            await self.recheck([s for group in self._sockets.values() for s in group])

    def _to_user(self, user_key: str, frame: dict[str, Any]) -> None:
        text = orjson.dumps(frame).decode()
        for socket in list(self.sockets_of(user_key)):
            socket.send_text(text)

    async def _fetch(self, user_key: str, notif_id: int) -> None:
        sockets = list(self.sockets_of(user_key))
        if not sockets:
            return
        async with self.reading() as db:
            rows = await store.after(db, self.table, sockets[0].user_id, notif_id - 1, limit=1)
        for row in rows:
            if row.id == notif_id:
                text = notif_frame(WSMessageAction.NEW_NOTIF, row)
                for socket in sockets:
                    socket.offer(row.id, text)

    async def _broadcast(self, first: int, last: int) -> None:
        users = {key: next(iter(sockets)).user_id for key, sockets in self._sockets.items()}
        if not users:
            return
        async with self.reading() as db:
            pairs = await store.in_range(db, self.table, list(users.values()), first, last)
        for user_id, row in pairs:
            text = notif_frame(WSMessageAction.BROADCAST, row)
            for socket in list(self.sockets_of(str(user_id))):
                socket.offer(row.id, text)

    async def _on_reconnect(self) -> None:
        self.reconnects += 1  # a gauge of /metrics (every new subscription, the first too)
        # Events published while this process was not subscribed are lost on the bus, not in
        # the table: every socket reads what it has not seen.
        self._resync_all()

    def _resync_all(self) -> None:
        sockets = [s for group in self._sockets.values() for s in group]
        for socket in sockets:
            socket.resync()

    async def recheck(self, sockets: list[Socket]) -> None:
        """Close (4401) the sockets whose session is no longer live."""
        if not sockets:
            return
        async with self.reading() as db:
            live = await self.auth.live(db, {s.session_id for s in sockets})
        for socket in sockets:
            if socket.session_id not in live:
                socket.drop(CLOSE_UNAUTHORIZED)

    async def _ping_loop(self) -> None:
        # One timer for every socket of the process, the frame encoded once; a client silent
        # since before the previous ping had its pong timeout too: close it (1001).
        text = orjson.dumps({"action": "ping"}).decode()
        silence = self.config.ping_interval_s + self.config.pong_timeout_s
        clock = asyncio.get_running_loop().time
        while True:
            await asyncio.sleep(self.config.ping_interval_s)
            now = clock()
            for sockets in list(self._sockets.values()):
                for socket in list(sockets):
                    if now - socket.last_heard > silence:
                        socket.drop(CLOSE_GOING_AWAY)
                    else:
                        socket.send_text(text)

    async def _watchdog_loop(self) -> None:
        # A send blocked past the limit means a client that stopped reading: drop it (1013).
        limit = self.config.send_timeout_s
        clock = asyncio.get_running_loop().time
        while True:
            await asyncio.sleep(min(1.0, limit / 4))
            now = clock()
            for sockets in list(self._sockets.values()):
                for socket in list(sockets):
                    if socket.blocked_since(now) > limit:
                        logger.info("notify socket dropped: send blocked")
                        socket.drop(CLOSE_TRY_AGAIN)

    async def _recheck_loop(self) -> None:
        while True:
            await asyncio.sleep(self.config.session_recheck_s)
            sockets = [s for group in self._sockets.values() for s in group]
            try:
                await self.recheck(sockets)
            except Exception:
                logger.exception("notify session re-check failed")
