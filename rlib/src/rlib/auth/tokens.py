"""Single-use links: 256-bit tokens, SHA-256 stored (short codes: :mod:`rlib.auth.otp`).

A secret is claimed in one guarded statement (``UPDATE ... WHERE consumed_at IS NULL AND
expires_at > now RETURNING``): of any number of concurrent redemptions exactly one gets the row.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from rlib.auth.kit import AuthKit
from rlib.auth.sessions import hash_token
from rlib.auth.tables import IdentityColumns
from rlib.context import Ctx
from rlib.scope import Scope

# Purposes of auth_verification rows (the app's vocabulary check lists the same names).
EMAIL_VERIFICATION = "email_verification"
PASSWORD_RESET = "password_reset"
CHANGE_EMAIL = "change_email"
EMAIL_OTP = "email_otp"
TWO_FACTOR_OTP = "two_factor_otp"
HANDOFF = "handoff"
DELETE_ACCOUNT = "delete_account"
OAUTH_STATE = "oauth_state"


@dataclass(frozen=True, slots=True)
class Claimed:
    """What a claimed secret was bound to."""

    id: uuid.UUID
    id_user: uuid.UUID | None
    identifier: str
    data: dict[str, Any] | None


async def issue_link(
    ctx: Scope,
    kit: AuthKit,
    *,
    purpose: str,
    user: IdentityColumns,
    lifetime_s: int,
    identifier: str | None = None,
    data: dict[str, Any] | None = None,
) -> str:
    """Store a new link token for ``user`` and return it (to be mailed, never logged)."""
    return await issue_secret(
        ctx,
        kit,
        purpose=purpose,
        identifier=identifier or user.email,
        user_id=user.id,
        lifetime_s=lifetime_s,
        data=data,
    )


async def issue_secret(
    ctx: Scope,
    kit: AuthKit,
    *,
    purpose: str,
    identifier: str,
    user_id: uuid.UUID | None,
    lifetime_s: int,
    data: dict[str, Any] | None = None,
) -> str:
    """Store a new 256-bit single-use secret, bound to ``identifier`` (and a login when
    ``user_id`` is given), and return it; only its SHA-256 is kept."""
    token = secrets.token_urlsafe(32)
    await _store(ctx, kit, purpose, user_id, hash_token(token), lifetime_s, identifier, data)
    return token


async def _store(
    ctx: Scope,
    kit: AuthKit,
    purpose: str,
    user_id: uuid.UUID | None,
    value_hash: str,
    lifetime_s: int,
    identifier: str,
    data: dict[str, Any] | None,
) -> None:
    row = kit.tables.verification(
        purpose=purpose,
        identifier=identifier,
        id_user=user_id,
        value_hash=value_hash,
        data=data,
        expires_at=kit.now() + dt.timedelta(seconds=lifetime_s),
    )
    ctx.db.add(row)
    await ctx.db.flush()


async def claim_link(ctx: Ctx | Scope, kit: AuthKit, *, purpose: str, token: str) -> Claimed | None:
    """Consume a link token atomically; None when unknown, used or expired."""
    return await _claim(ctx, kit, purpose=purpose, value_hash=hash_token(token))


async def link_is_live(ctx: Scope, kit: AuthKit, *, purpose: str, token: str) -> bool:
    """Whether a link token is pending (known, unused, unexpired), without claiming it."""
    v = kit.tables.verification
    stmt = select(v.id).where(
        v.purpose == purpose,
        v.value_hash == hash_token(token),
        v.consumed_at.is_(None),
        v.expires_at > kit.now(),
    )
    return (await ctx.db.scalar(stmt)) is not None


async def _claim(ctx: Scope, kit: AuthKit, *, purpose: str, value_hash: str) -> Claimed | None:
    v = kit.tables.verification
    now = kit.now()
    stmt = (
        update(v)
        .where(
            v.purpose == purpose,
            v.value_hash == value_hash,
            v.consumed_at.is_(None),
            v.expires_at > now,
        )
        .values(consumed_at=now)
        .returning(v.id, v.id_user, v.identifier, v.data)
        .execution_options(synchronize_session=False)
    )
    row = (await ctx.db.execute(stmt)).first()
    if row is None:
        return None
    return Claimed(id=row[0], id_user=row[1], identifier=row[2], data=row[3])


async def invalidate(
    ctx: Scope, kit: AuthKit, *, user_id: uuid.UUID, purposes: tuple[str, ...]
) -> None:
    """Consume every pending secret of ``purposes`` for the user (a password or email change
    kills outstanding reset links)."""
    v = kit.tables.verification
    await ctx.db.execute(
        update(v)
        .where(v.id_user == user_id, v.purpose.in_(purposes), v.consumed_at.is_(None))
        .values(consumed_at=kit.now())
        .execution_options(synchronize_session=False)
    )
