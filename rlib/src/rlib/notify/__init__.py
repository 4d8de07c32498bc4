"""Notifications: stored rows, an authenticated WebSocket, fan-out across processes, catch-up.

``send_notif`` / ``broadcast`` (methods of the app's :class:`Notifier`) write rows in the
caller's transaction and publish after commit on the bus (Redis, PostgreSQL LISTEN/NOTIFY, or
in-process); each process pushes to its own sockets on ``/ws/notif``.
"""

from rlib.notify.send import Audience, AudienceQuery, Notifier
from rlib.notify.types import (
    NotifContent,
    NotifMessage,
    NotifOut,
    NotifStatus,
    NotifType,
    WSMessageAction,
)

__all__ = [
    "Audience",
    "AudienceQuery",
    "NotifContent",
    "NotifMessage",
    "NotifOut",
    "NotifStatus",
    "NotifType",
    "Notifier",
    "WSMessageAction",
]
