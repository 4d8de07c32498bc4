"""``send_notif`` and ``broadcast``: the row in the caller's transaction, the publish after commit.

A rolled-back unit publishes nothing (its after-commit queue is dropped). A publish that fails
(bus down) is logged and never raised: the row is committed, and every socket catches up from
the table when its process resubscribes or its client reconnects.

The app builds one :class:`Notifier` over its table and exposes its bound methods::

    notifier = Notifier(Notif, audience=users_of_type)
    send_notif = notifier.send_notif
    await send_notif(scope, user.id, {"notif": {"type": "message", "message": "Halo"}})
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, Table

from rlib.notify import store
from rlib.notify.bus.base import Bus, Event
from rlib.notify.types import NotifContent, NotifMessage, NotifOut, NotifStatus, WSMessageAction
from rlib.scope import Scope

logger = logging.getLogger("rlib.notify")

# After a failed publish, how often the ``sync`` event is tried until the bus takes it.
SYNC_RETRY_S = 0.5

# The ids of one user type's users (a type name), or of every user (None).
AudienceQuery = Callable[[str | None], Select[Any]]
# A list of user ids, a user type, or everyone (None).
Audience = Sequence[Any] | str | None


class Notifier:
    """Writes notifications into the app's table and announces them on the bus.

    Buses are attached by the running app (one per process, at startup); without one (CLI,
    a test without a server) rows are still written and clients catch up from the table.
    """

    def __init__(self, model: Any, *, audience: AudienceQuery | None = None) -> None:
        self.table: Table = model.__table__
        self.audience = audience
        self._buses: list[Bus] = []
        self._sync: asyncio.Task[None] | None = None

    def attach(self, bus: Bus) -> None:
        """Publish on ``bus`` from now on (the app's lifespan calls this)."""
        self._buses.append(bus)

    def detach(self, bus: Bus) -> None:
        """Stop publishing on ``bus``."""
        if bus in self._buses:
            self._buses.remove(bus)
        if self._sync is not None:
            self._sync.cancel()
            self._sync = None

    async def publish(self, event: Event) -> None:
        """Put ``event`` on the bus; a failure is logged, never raised.

        A failed publish lost an event that no process will hear, and a subscriber that never
        lost its own connection (Redis silent, not closed) has no reason to catch up: a
        ``sync`` event is then retried until the bus takes it, and every process's sockets
        read what they missed from the table (battery F5). Until the sync is through, events
        are not published at all: the sync covers them (their rows are committed), and no
        request waits for the bus's timeout while it is away.
        """
        if not self._buses:
            return
        if self._sync is not None and not self._sync.done():
            return
        bus = self._buses[-1]
        try:
            await bus.publish(event)
        except Exception as exc:
            logger.warning("notify publish failed on %s: %s", bus.name, type(exc).__name__)
            if self._sync is None or self._sync.done():
                self._sync = asyncio.get_running_loop().create_task(self._send_sync(bus))

    async def _send_sync(self, bus: Bus) -> None:
        while bus in self._buses:
            await asyncio.sleep(SYNC_RETRY_S)
            with contextlib.suppress(Exception):
                await bus.publish({"k": "sync"})
                return

    def publish_after_commit(self, scope: Scope, event: Event) -> None:
        """Queue ``event`` for after ``scope``'s commit."""
        scope.on_commit(lambda: self.publish(event))

    async def send_notif(
        self, scope: Scope, user_id: Any, message: NotifMessage | Mapping[str, Any]
    ) -> NotifOut:
        """Store one notification for ``user_id`` (``{action, notif: {type, message, status,
        url, data, thumbnail}}``) and push it to the user's sockets after commit."""
        parsed = NotifMessage.model_validate(message)
        [row] = await self._insert(scope, [user_id], parsed.notif, parsed.action)
        return row

    async def send_many(
        self,
        scope: Scope,
        user_ids: Sequence[Any],
        notif: NotifContent | Mapping[str, Any],
        *,
        action: WSMessageAction = WSMessageAction.NEW_NOTIF,
    ) -> list[NotifOut]:
        """The same notification to each of ``user_ids``: one multi-row insert."""
        return await self._insert(scope, user_ids, NotifContent.model_validate(notif), action)

    async def broadcast(
        self, scope: Scope, audience: Audience, notif: NotifContent | Mapping[str, Any]
    ) -> int:
        """An announcement to a list of user ids, a user type, or everyone (``None``).

        A list is one multi-row insert; a type or everyone is one ``INSERT … SELECT``. After
        commit one event names the new rows' id range; each process reads its own users' rows.
        Returns how many rows were written.
        """
        content = NotifContent.model_validate(notif)
        if audience is None or isinstance(audience, str):
            if self.audience is None:
                raise RuntimeError("this Notifier has no audience query for user types")
            first, last, count = await store.insert_from_select(
                scope.db, self.table, self.audience(audience), content
            )
            if count:
                self.publish_after_commit(scope, {"k": "bc", "first": first, "last": last})
            return count
        rows = await self._insert(scope, list(audience), content, WSMessageAction.BROADCAST)
        return len(rows)

    def announce_status(
        self, scope: Scope, user_id: Any, ids: Sequence[int], status: NotifStatus
    ) -> None:
        """After commit, tell the user's sockets that ``ids`` now have ``status``."""
        if ids:
            event = {"k": "upd", "u": str(user_id), "ids": list(ids), "status": status.value}
            self.publish_after_commit(scope, event)

    def announce_delete(self, scope: Scope, user_id: Any, ids: Sequence[int]) -> None:
        """After commit, tell the user's sockets that ``ids`` are gone."""
        if ids:
            self.publish_after_commit(scope, {"k": "del", "u": str(user_id), "ids": list(ids)})

    async def _insert(
        self,
        scope: Scope,
        user_ids: Sequence[Any],
        content: NotifContent,
        action: WSMessageAction,
    ) -> list[NotifOut]:
        pairs = await store.insert_for_users(scope.db, self.table, user_ids, content)
        for user_id, row in pairs:
            event = {
                "k": "new",
                "a": action.value,
                "u": str(user_id),
                "n": row.model_dump(mode="json"),
            }
            self.publish_after_commit(scope, event)
        return [row for _, row in pairs]
