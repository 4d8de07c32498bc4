"""The auth layer's answer to a WebSocket handshake: whose live session a token is.

Implements :class:`rlib.notify.hub.SocketAuth` (structurally; auth does not import notify).
A session whose second factor is still pending does not open a socket.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rlib.auth.kit import AuthKit
from rlib.auth.sessions import find


class SocketIdentityRow:
    """User and session ids of an accepted socket."""

    __slots__ = ("session_id", "user_id")

    def __init__(self, user_id: Any, session_id: Any) -> None:
        self.user_id = user_id
        self.session_id = session_id


class SessionSocketAuth:
    """Sessions of ``kit``'s tables vouch for sockets."""

    def __init__(self, kit: AuthKit) -> None:
        self.kit = kit

    async def identify(self, db: AsyncSession, token: str) -> Any:
        """``SocketIdentity``-shaped (``user_id``, ``session_id``) for a live session, or None."""
        found = await find(db, self.kit.tables, token, self.kit.now())
        if found is None:
            return None
        session, user = found
        if not session.two_factor_verified:
            return None
        return SocketIdentityRow(user.id, session.id)

    async def live(self, db: AsyncSession, session_ids: Collection[Any]) -> set[Any]:
        """Which of ``session_ids`` are neither revoked nor expired (and whose login exists)."""
        if not session_ids:
            return set()
        s, u = self.kit.tables.session, self.kit.tables.user
        now = self.kit.now()
        rows = await db.execute(
            select(s.id)
            .join(u, u.id == s.id_user)
            .where(
                s.id.in_(list(session_ids)),
                s.revoked_at.is_(None),
                s.expires_at > now,
                s.idle_expires_at > now,
                u.deleted_at.is_(None),
            )
        )
        return set(rows.scalars())
