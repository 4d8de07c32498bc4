"""``/ws/notif``: one user's live notifications over a WebSocket (security.md section 11).

- **Auth at the handshake** from the session cookie or ``Authorization: Bearer`` (never the
  query string); no live session → accepted and closed at once with 4401, before any data.
  ``Origin`` must be this host's own or a configured one (absent only for bearer clients),
  else 4403. The user is fixed there: no frame can change whose notifications flow.
- **Frames in**: ``{"action": "ping"}`` (answered with ``pong``), ``{"action": "pong"}``, and
  ``{"after_id": N}`` (catch-up: every newer row, oldest first, before any live event).
  Anything else is ignored; a frame over the size limit closes with 1009. A client sends a
  ping every ~20 s and a catch-up per reconnect, so frames beyond a burst of
  :data:`FRAME_BURST` refilled at :data:`FRAMES_PER_S` close with 1008: a frame flood (each
  catch-up a database read) cannot take the process from everyone else.
- **Keepalive**: the hub sends ``{"action": "ping"}`` every ``ping_interval_s`` and closes
  (1001) a socket whose client has been silent for ``ping_interval_s + pong_timeout_s``
  (checked at each ping, so within one more interval).
- **Slow reader**: frames wait in a bounded queue; overflow or one send blocked longer than
  ``send_timeout_s`` (the hub's watchdog looks every second) closes that socket (1013) and
  nobody else waits for it.
- At most ``max_sockets_per_user`` per user and process; the next is closed with 1008.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from typing import Any

import orjson
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import Receive, Scope, Send

from rlib.notify import store
from rlib.notify.hub import (
    CLOSE_FORBIDDEN_ORIGIN,
    CLOSE_GOING_AWAY,
    CLOSE_TRY_AGAIN,
    CLOSE_UNAUTHORIZED,
    Hub,
    SocketIdentity,
    notif_frame,
)
from rlib.notify.types import WSMessageAction

logger = logging.getLogger("rlib.notify")

SESSION_COOKIES = ("__Host-session", "session")
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CATCH_UP_PAGE = 500
SENT_MEMORY = 4096  # ids remembered per socket to drop repeats
FRAME_BURST = 30.0  # inbound frames a socket may send at once
FRAMES_PER_S = 2.0  # and the rate its allowance refills at


def presented_token(headers: Headers) -> tuple[str | None, bool]:
    """The session token and whether it came from a cookie (the cookie wins over a bearer)."""
    cookies = cookie_parser(headers.get("cookie", ""))
    for name in SESSION_COOKIES:
        if cookies.get(name):
            return cookies[name], True
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    return None, False


def origin_allowed(scope: Scope, headers: Headers, allowed: tuple[str, ...], cookie: bool) -> bool:
    """This host's own origin or a configured one; no Origin only for a bearer client."""
    origin = headers.get("origin")
    if origin is None:
        return not cookie
    origin = origin.rstrip("/").lower()
    scheme = "https" if scope.get("scheme") == "wss" else "http"
    own = f"{scheme}://{headers.get('host', '')}".lower()
    return origin == own or origin in {o.rstrip("/").lower() for o in allowed}


class Socket:
    """One accepted connection: its identity, its send queue and what it has been sent.

    Kept small (slots, the lock made on first use): a process holds thousands of them.
    """

    __slots__ = (
        "_allowance",
        "_catch_up_lock",
        "_held",
        "_main",
        "_queue",
        "_seen",
        "_send",
        "_sent",
        "_writing",
        "close_code",
        "cursor",
        "dropped",
        "hub",
        "last_heard",
        "ready",
        "sending_since",
        "session_id",
        "user_id",
        "user_key",
    )

    def __init__(self, hub: Hub, send: Send, identity: SocketIdentity) -> None:
        self.hub = hub
        self.user_id = identity.user_id
        self.session_id = identity.session_id
        self.user_key = str(identity.user_id)
        self._send = send
        # A plain deque, and a writer task only while there is something to send: an idle
        # socket holds no task of its own (thousands of them stay cheap).
        self._queue: deque[str] = deque()
        self._writing: asyncio.Task[None] | None = None
        self._sent: set[int] = set()  # ids sent as new-notif / broadcast / catch-up frames
        self._seen: set[int] = set()  # those, plus the ids of the connected snapshot
        self._held: list[tuple[int, str]] | None = None
        self._catch_up_lock: asyncio.Lock | None = None
        self._main: asyncio.Task[Any] | None = None  # the task serving this socket
        self.cursor = 0
        self.ready = False  # set once ``connected`` went out
        self.sending_since: float | None = None  # loop time the pending send began
        self.dropped = False
        self.close_code = 1000
        self.last_heard = asyncio.get_running_loop().time()  # the client's last frame
        self._allowance = FRAME_BURST  # inbound frames left (refilled from last_heard)

    def push(self, frame: dict[str, Any]) -> None:
        """Queue a frame without waiting; a full queue drops this socket (1013)."""
        self.send_text(orjson.dumps(frame).decode())

    def send_text(self, text: str) -> None:
        """Queue an encoded frame (a fan-out encodes once for every socket)."""
        if self.dropped:
            return
        if len(self._queue) >= self.hub.config.send_queue:
            logger.info("notify socket dropped: send queue full", extra={"user": self.user_key})
            self.drop(CLOSE_TRY_AGAIN)
            return
        self._queue.append(text)
        if self._writing is None and self._main is not None:
            self._writing = asyncio.get_running_loop().create_task(self._writer())

    def offer(self, notif_id: int, text: str) -> None:
        """A live notification (``text`` its encoded frame): held during a catch-up, skipped
        when already sent."""
        if self._held is not None:
            self._held.append((notif_id, text))
            return
        if notif_id in self._seen:
            return
        self._remember(notif_id, sent=True)
        self.send_text(text)

    def drop(self, code: int) -> None:
        """End this socket with ``code``: the serving task is interrupted and closes it."""
        if self.dropped:
            return
        self.dropped = True
        self.close_code = code
        main = self._main
        if main is not None and main is not asyncio.current_task():
            main.cancel()

    def resync(self) -> None:
        """Catch up from the cursor in the background (after the bus resubscribed).

        A socket still sending ``connected`` needs nothing: its snapshot is read after it
        joined the hub."""
        if not self.ready or self.dropped:
            return
        task = asyncio.create_task(self.catch_up(self.cursor))
        task.add_done_callback(_log_failure)

    def _remember(self, notif_id: int, *, sent: bool) -> None:
        if len(self._seen) >= SENT_MEMORY:  # forget the oldest half
            keep = sorted(self._seen)[SENT_MEMORY // 2 :]
            self._seen = set(keep)
            self._sent &= self._seen
        self._seen.add(notif_id)
        if sent:
            self._sent.add(notif_id)
        self.cursor = max(self.cursor, notif_id)

    async def connected(self) -> None:
        """Send ``connected``: the unread count and the latest rows, live events held meanwhile."""
        self._held = []
        try:
            async with self.hub.reading() as db:
                unread = await store.unread_count(db, self.hub.table, self.user_id)
                latest = await store.list_own(
                    db, self.hub.table, self.user_id, limit=self.hub.config.latest
                )
            for row in latest:
                self._remember(row.id, sent=False)
            self.push(
                {
                    "action": WSMessageAction.CONNECTED.value,
                    "unread": unread,
                    "notifs": [row.model_dump(mode="json") for row in latest],
                }
            )
        finally:
            self.ready = True
            self._release()

    async def catch_up(self, after_id: int) -> None:
        """Every row newer than ``after_id``, oldest first, then the live events held meanwhile."""
        if self._catch_up_lock is None:
            self._catch_up_lock = asyncio.Lock()
        async with self._catch_up_lock:
            self._held = self._held if self._held is not None else []
            try:
                cursor = after_id
                while not self.dropped:
                    async with self.hub.reading() as db:
                        rows = await store.after(
                            db, self.hub.table, self.user_id, cursor, limit=CATCH_UP_PAGE
                        )
                    for row in rows:
                        if row.id not in self._sent:
                            self._remember(row.id, sent=True)
                            self.send_text(notif_frame(WSMessageAction.NEW_NOTIF, row))
                    if len(rows) < CATCH_UP_PAGE:
                        break
                    cursor = rows[-1].id
            finally:
                self._release()

    def _release(self) -> None:
        held, self._held = self._held or [], None
        for notif_id, text in held:
            self.offer(notif_id, text)

    async def serve(self, receive: Receive) -> None:
        """Read in this task and write in another until either ends or the socket is dropped
        (which cancels this task), then close."""
        main = self._main = asyncio.current_task()
        if self._queue:  # what ``connected`` queued
            self._writing = asyncio.get_running_loop().create_task(self._writer())
        try:
            await self._reader(receive)
        except asyncio.CancelledError:
            if not self.dropped or main is None:
                raise  # cancelled from outside (server shutdown)
            main.uncancel()
        finally:
            self._main = None
            writer = self._writing
            if writer is not None:
                writer.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await writer
            with contextlib.suppress(Exception):
                async with asyncio.timeout(1.0):
                    await self._send({"type": "websocket.close", "code": self.close_code})

    async def _reader(self, receive: Receive) -> None:
        # No timer per socket: the hub's keepalive loop closes one silent for too long.
        config = self.hub.config
        clock = asyncio.get_running_loop().time
        while True:
            message = await receive()
            now = clock()
            if message["type"] == "websocket.disconnect":
                self.drop(int(message.get("code", 1000)))
                return
            allowance = self._allowance + (now - self.last_heard) * FRAMES_PER_S
            self._allowance = min(FRAME_BURST, allowance) - 1
            self.last_heard = now
            if self._allowance < 0:
                self.drop(CLOSE_POLICY)
                return
            raw = message.get("text") or message.get("bytes") or b""
            if len(raw) > config.max_frame_bytes:
                self.drop(CLOSE_TOO_BIG)
                return
            await self._handle(raw)

    async def _handle(self, raw: str | bytes) -> None:
        try:
            frame = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return
        if not isinstance(frame, dict):
            return
        if frame.get("action") == "ping":
            self.push({"action": "pong"})
        after_id = frame.get("after_id")
        if isinstance(after_id, int) and not isinstance(after_id, bool) and after_id >= 0:
            await self.catch_up(after_id)

    async def _writer(self) -> None:
        # Runs while frames wait, then ends. No timer per send: the hub's watchdog drops a
        # socket whose send has been blocked longer than ``send_timeout_s``
        # (``sending_since``).
        queue, send = self._queue, self._send
        clock = asyncio.get_running_loop().time
        try:
            while queue:
                self.sending_since = clock()
                await send({"type": "websocket.send", "text": queue.popleft()})
            self.sending_since = None
        except Exception:
            self.drop(CLOSE_GOING_AWAY)
        finally:
            self._writing = None  # no await since the queue was found empty

    def blocked_since(self, now: float) -> float:
        """Seconds the current send has been waiting (0 when none is)."""
        return 0.0 if self.sending_since is None else now - self.sending_since


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.warning("notify catch-up failed: %s", type(task.exception()).__name__)


async def serve_notif_socket(hub: Hub, scope: Scope, receive: Receive, send: Send) -> None:
    """The ``/ws/notif`` ASGI handler (see the module docstring)."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    headers = Headers(scope=scope)
    token, from_cookie = presented_token(headers)
    identity = None
    code = CLOSE_UNAUTHORIZED
    if token is not None:
        if not origin_allowed(scope, headers, hub.config.allowed_origins, from_cookie):
            code = CLOSE_FORBIDDEN_ORIGIN
        else:
            try:
                async with hub.reading() as db:
                    identity = await hub.auth.identify(db, token)
            except Exception:  # the database is unreachable: come back later
                logger.warning("notify socket refused: session lookup failed", exc_info=True)
                code = CLOSE_TRY_AGAIN
    await send({"type": "websocket.accept"})
    if identity is None:
        await send({"type": "websocket.close", "code": code})
        return
    socket = Socket(hub, send, identity)
    if not hub.register(socket):
        await send({"type": "websocket.close", "code": CLOSE_POLICY})
        return
    try:
        await socket.connected()
        await socket.serve(receive)
    finally:
        hub.unregister(socket)
