"""The caller's own sessions: list them, revoke one, all, or all but the current one (S6).

Only the caller's rows are reachable (``WHERE id_user = :me``), so a foreign session id is a
404 like a missing one.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from rlib.auth.flows import end_session, kit_of
from rlib.auth.schemas import Done, RevokeSession, SessionInfo
from rlib.auth.sessions import revoke
from rlib.auth.signin import session_info
from rlib.auth.users import current_user
from rlib.context import Ctx
from rlib.errors import NotFoundError

logger = logging.getLogger("rlib.auth")


async def list_sessions(ctx: Ctx) -> list[SessionInfo]:
    """The caller's live sessions, newest first (metadata only, never tokens)."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    s = kit.tables.session
    now = kit.now()
    rows = await ctx.db.scalars(
        select(s)
        .where(
            s.id_user == me.id,
            s.revoked_at.is_(None),
            s.expires_at > now,
            s.idle_expires_at > now,
        )
        .order_by(s.created_at.desc(), s.id)
    )
    return [session_info(row, current=row.id == me.session_id) for row in rows]


async def revoke_session(ctx: Ctx, payload: RevokeSession) -> Done:
    """Revoke one of the caller's sessions (the current one signs out)."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    if payload.token == me.session_id:
        await end_session(ctx)
        return Done(status=True)
    count = await revoke(ctx.db, kit.tables, now=kit.now(), user_id=me.id, session_id=payload.token)
    if count == 0:
        raise NotFoundError("resource.session")
    logger.info("session revoked", extra={"user": str(me.id)})
    return Done(status=True)


async def revoke_sessions(ctx: Ctx) -> Done:
    """Revoke every session of the caller, this one included ("sign out everywhere")."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    await end_session(ctx)
    await revoke(ctx.db, kit.tables, now=kit.now(), user_id=me.id)
    logger.info("all sessions revoked", extra={"user": str(me.id)})
    return Done(status=True)


async def revoke_other_sessions(ctx: Ctx) -> Done:
    """Revoke every session of the caller except the current one."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    await revoke(ctx.db, kit.tables, now=kit.now(), user_id=me.id, keep=me.session_id)
    logger.info("other sessions revoked", extra={"user": str(me.id)})
    return Done(status=True)
