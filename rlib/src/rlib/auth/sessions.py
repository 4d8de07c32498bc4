"""Sessions: 256-bit random tokens, only their SHA-256 stored; idle and absolute timeouts.

A session row is looked up by the hash of the presented token in one indexed query joined with
its login. Idle expiry slides on use, written at most once per ``touch_interval_s``; absolute
expiry never moves. Revocation sets ``revoked_at``; there is no cache, so it holds on the next
request in every process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from rlib.auth.tables import AuthTables, IdentityColumns, SessionColumns
from rlib.config import SessionLifetime

# Told (db, user id) whenever some of a user's sessions were revoked in ``db``'s transaction;
# the notification layer closes that user's sockets after commit (security.md W5).
RevocationHook = Callable[[AsyncSession, uuid.UUID], None]
REVOCATION_HOOKS: list[RevocationHook] = []

COOKIE_SECURE = "__Host-session"
COOKIE_PLAIN = "session"


def new_token() -> str:
    """A fresh token: ``secrets.token_urlsafe(32)``, 256 bits in 43 characters."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def strictest(
    lifetimes: Mapping[str, SessionLifetime], user_types: Iterable[str], default: SessionLifetime
) -> SessionLifetime:
    """The shortest idle and absolute lifetimes among the user types held (``default`` if none)."""
    held = [lifetimes[t] for t in user_types if t in lifetimes]
    if not held:
        return default
    return SessionLifetime(
        idle_s=min(h.idle_s for h in held), absolute_s=min(h.absolute_s for h in held)
    )


@dataclass(frozen=True, slots=True)
class Issued:
    """A new session: the token (given to the client once) and its row."""

    token: str
    row: SessionColumns


async def issue(
    db: AsyncSession,
    tables: AuthTables,
    *,
    user_id: uuid.UUID,
    lifetime: SessionLifetime,
    now: dt.datetime,
    ip: str | None = None,
    user_agent: str | None = None,
    two_factor_verified: bool = True,
    family_id: uuid.UUID | None = None,
    expires_at: dt.datetime | None = None,
    authenticated_at: dt.datetime | None = None,
) -> Issued:
    """Insert a session row and return its token.

    Args:
        expires_at: an absolute expiry to inherit (hand-off); else now + the absolute lifetime.
        authenticated_at: when the password was entered, to inherit (hand-off); else now.
    """
    token = new_token()
    absolute = expires_at or now + dt.timedelta(seconds=lifetime.absolute_s)
    row = tables.session(
        id_user=user_id,
        token_hash=hash_token(token),
        expires_at=absolute,
        idle_expires_at=min(absolute, now + dt.timedelta(seconds=lifetime.idle_s)),
        authenticated_at=authenticated_at or now,
        two_factor_verified=two_factor_verified,
        ip_address=(ip or "")[:45] or None,
        user_agent=(user_agent or "")[:512] or None,
        family_id=family_id,
    )
    db.add(row)
    await db.flush()
    return Issued(token=token, row=row)


async def find(
    db: AsyncSession, tables: AuthTables, token: str, now: dt.datetime
) -> tuple[SessionColumns, IdentityColumns] | None:
    """The live session of ``token`` with its login, or None (unknown, revoked, expired)."""
    s, u = tables.session, tables.user
    stmt = (
        select(s, u)
        .join(u, u.id == s.id_user)
        .where(
            s.token_hash == hash_token(token),
            s.revoked_at.is_(None),
            s.expires_at > now,
            s.idle_expires_at > now,
            u.deleted_at.is_(None),
        )
    )
    found = (await db.execute(stmt)).first()
    if found is None:
        return None
    return found[0], found[1]


async def touch(
    db: AsyncSession,
    row: SessionColumns,
    *,
    lifetime: SessionLifetime,
    now: dt.datetime,
    interval_s: int,
) -> None:
    """Slide the idle expiry, at most once per ``interval_s`` (never past the absolute one)."""
    target = min(row.expires_at, now + dt.timedelta(seconds=lifetime.idle_s))
    if target < row.idle_expires_at:
        # The user gained a stricter type since sign-in: tighten at once.
        row.idle_expires_at = target
    elif target - row.idle_expires_at >= dt.timedelta(seconds=interval_s):
        row.idle_expires_at = target
    else:
        return
    await db.flush()


async def revoke(
    db: AsyncSession,
    tables: AuthTables,
    *,
    now: dt.datetime,
    user_id: uuid.UUID,
    session_id: uuid.UUID | None = None,
    family_id: uuid.UUID | None = None,
    keep: uuid.UUID | None = None,
) -> int:
    """Revoke the user's live sessions: one (``session_id``), a family, or all but ``keep``.

    Returns the number of sessions revoked.
    """
    s = tables.session
    where: list[Any] = [s.id_user == user_id, s.revoked_at.is_(None)]
    if session_id is not None and family_id is not None:
        where.append((s.id == session_id) | (s.family_id == family_id))
    elif session_id is not None:
        where.append(s.id == session_id)
    elif family_id is not None:
        where.append(s.family_id == family_id)
    if keep is not None:
        where.append(s.id != keep)
    result = await db.execute(
        update(s).where(*where).values(revoked_at=now).execution_options(synchronize_session=False)
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        for hook in list(REVOCATION_HOOKS):
            hook(db, user_id)
    return count


def cookie_name(secure: bool) -> str:
    """``__Host-session`` over https; plain ``session`` over http (browsers refuse the prefix)."""
    return COOKIE_SECURE if secure else COOKIE_PLAIN


def set_cookie(token: str, *, max_age: int, secure: bool) -> str:
    """A session ``Set-Cookie`` value (see :func:`cookie_header`)."""
    return cookie_header(cookie_name(secure), token, max_age=max_age, secure=secure)


def cookie_header(name: str, value: str, *, max_age: int, secure: bool) -> str:
    """A ``Set-Cookie`` value: HttpOnly, SameSite=Lax, Path=/, no Domain; Secure over https."""
    parts = [f"{name}={value}", f"Max-Age={max(0, max_age)}", "Path=/"]
    if secure:
        parts.append("Secure")
    parts += ["HttpOnly", "SameSite=Lax"]
    return "; ".join(parts)


def clear_cookie(*, secure: bool) -> str:
    """An expired session cookie (sign-out)."""
    return set_cookie("", max_age=0, secure=secure)
