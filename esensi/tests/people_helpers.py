"""Staff signed in with a real login (audit rows point at it) and rows to manage."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from esensi.models.audit import AuditLog
from factories.logins import add_profile, make_login
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator


async def sign_in_staff(database: Database, auth: FakeAuthenticator, *roles: str) -> SessionUser:
    """A staff login in the database, signed in with these role flags."""
    unit = database.unit()
    try:
        user = await make_login(unit.session, password=None)
        await unit.commit()
        user_id = user.id
    finally:
        await unit.close()
    signed = SessionUser(
        id=user_id,
        profiles={"internal": uuid.uuid4()},
        roles=frozenset(f"internal:{role}" for role in roles),
    )
    auth.user = signed
    return signed


async def a_login(database: Database, *, profile: str | None = None, **overrides: Any) -> uuid.UUID:
    """A login without a password, optionally with a profile of ``profile``."""
    unit = database.unit()
    try:
        user = await make_login(unit.session, password=None, **overrides)
        if profile is not None:
            await add_profile(unit.session, user, profile)
        await unit.commit()
        return user.id
    finally:
        await unit.close()


async def insert(database: Database, *rows: Any) -> None:
    """Commit ``rows`` (ORM objects) in one transaction."""
    unit = database.unit()
    try:
        for row in rows:
            unit.session.add(row)
            await unit.session.flush()
        await unit.commit()
    finally:
        await unit.close()


async def audit_actions(database: Database, entity_id: object) -> list[str]:
    """The audit actions recorded for ``entity_id``, oldest first."""
    unit = database.unit()
    try:
        found = await unit.session.scalars(
            select(AuditLog.action)
            .where(AuditLog.entity_id == str(entity_id))
            .order_by(AuditLog.id)
        )
        return list(found)
    finally:
        await unit.close()
