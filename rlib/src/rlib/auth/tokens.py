"""Single-use secrets: link tokens (256 bits, SHA-256 stored) and short codes (HMAC stored).

A secret is claimed in one guarded statement (``UPDATE ... WHERE consumed_at IS NULL AND
expires_at > now RETURNING``): of any number of concurrent redemptions exactly one gets the row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

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


@dataclass(frozen=True, slots=True)
class Claimed:
    """What a claimed secret was bound to."""

    id: uuid.UUID
    id_user: uuid.UUID | None
    identifier: str
    data: dict[str, Any] | None


def hash_code(kit: AuthKit, code: str) -> str:
    """The stored form of a short code: HMAC-SHA-256 keyed by the app secret (a bare hash of
    six digits would be reversed by trying all of them)."""
    return hmac.new(kit.config.secret_key.encode(), code.encode(), hashlib.sha256).hexdigest()


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
        user_id=user.id,
        identifier=identifier or user.email,
        lifetime_s=lifetime_s,
        data=data,
    )


async def issue_secret(
    ctx: Scope,
    kit: AuthKit,
    *,
    purpose: str,
    user_id: uuid.UUID,
    identifier: str,
    lifetime_s: int,
    data: dict[str, Any] | None = None,
) -> str:
    """Store a new 256-bit secret bound to ``identifier`` (an address, an origin) and return it;
    only its SHA-256 is kept."""
    token = secrets.token_urlsafe(32)
    row = kit.tables.verification(
        purpose=purpose,
        identifier=identifier,
        id_user=user_id,
        value_hash=hash_token(token),
        data=data,
        expires_at=kit.now() + dt.timedelta(seconds=lifetime_s),
    )
    ctx.db.add(row)
    await ctx.db.flush()
    return token


async def claim_link(ctx: Ctx | Scope, kit: AuthKit, *, purpose: str, token: str) -> Claimed | None:
    """Consume a link token atomically; None when unknown, used or expired."""
    return await _claim(ctx, kit, purpose=purpose, value_hash=hash_token(token))


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
