"""Emailed one-time codes: six digits, ten minutes, single use, three guesses.

One pending code per purpose and identifier (an address, or a login id for the 2FA code): a
new send consumes the previous one. Redeeming a code happens in three steps:

1. reserve a guess in a unit of its own, committed at once: ``attempts = attempts + 1`` on
   the pending row only while ``attempts < 3``. Concurrent guesses serialise on the row, so no
   more than three are ever granted, and a failed guess stays counted when its request rolls
   back. No row means no code, a used or expired one, or a burnt one: refused unchecked;
2. compare the digest (constant time);
3. on a match, claim the row in the request's transaction with the guarded
   ``UPDATE ... WHERE consumed_at IS NULL AND expires_at > now`` (one winner).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select, update

from rlib.auth.codes import new_otp
from rlib.auth.kit import AuthKit
from rlib.auth.tokens import Claimed
from rlib.db.ids import uuid7
from rlib.scope import Scope


@dataclass(frozen=True, slots=True)
class OtpRequest:
    """Which code: its purpose (``email_otp``, ``two_factor_otp``), whom it was sent to and
    what it is for (``sign-in``, ``email-verification``, ``two-factor``)."""

    purpose: str
    identifier: str
    use: str


def _digest(want: OtpRequest, row_id: uuid.UUID, code: str) -> list[str]:
    return [want.purpose, str(row_id), want.identifier, want.use, code]


async def issue_otp(
    scope: Scope, kit: AuthKit, want: OtpRequest, *, user_id: uuid.UUID | None
) -> str:
    """Store a new code for ``want`` (consuming the pending one) and return it, to be mailed
    and never logged."""
    v = kit.tables.verification
    now = kit.now()
    await scope.db.execute(
        update(v)
        .where(
            v.purpose == want.purpose,
            v.identifier == want.identifier,
            v.consumed_at.is_(None),
        )
        .values(consumed_at=now)
        .execution_options(synchronize_session=False)
    )
    code = new_otp()
    row_id = uuid7()
    scope.db.add(
        v(
            id=row_id,
            purpose=want.purpose,
            identifier=want.identifier,
            id_user=user_id,
            value_hash=kit.codes.digest(*_digest(want, row_id, code)),
            data={"use": want.use},
            attempts=0,
            expires_at=now + dt.timedelta(seconds=kit.config.otp_s),
        )
    )
    await scope.db.flush()
    return code


async def redeem_otp(scope: Scope, kit: AuthKit, want: OtpRequest, code: str) -> Claimed | None:
    """Consume the pending code of ``want`` when ``code`` is right; None otherwise (no code,
    wrong, used, expired or burnt). Call before the request's transaction reads anything."""
    reserved = await _reserve_guess(scope, kit, want)
    if reserved is None:
        return None
    row_id, stored = reserved
    if not kit.codes.matches(stored, *_digest(want, row_id, code)):
        return None
    return await _claim(scope, kit, row_id)


async def _reserve_guess(
    scope: Scope, kit: AuthKit, want: OtpRequest
) -> tuple[uuid.UUID, str] | None:
    v = kit.tables.verification
    now = kit.now()
    newest = (
        select(v.id)
        .where(
            v.purpose == want.purpose,
            v.identifier == want.identifier,
            v.consumed_at.is_(None),
            v.expires_at > now,
        )
        .order_by(v.id.desc())  # UUIDv7: the newest row first
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        update(v)
        .where(v.id == newest, v.attempts < kit.config.otp_attempts)
        .values(attempts=v.attempts + 1)
        .returning(v.id, v.value_hash)
        .execution_options(synchronize_session=False)
    )
    async with scope.unit.separately() as unit:
        row = (await unit.session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def _claim(scope: Scope, kit: AuthKit, row_id: uuid.UUID) -> Claimed | None:
    v = kit.tables.verification
    now = kit.now()
    stmt = (
        update(v)
        .where(v.id == row_id, v.consumed_at.is_(None), v.expires_at > now)
        .values(consumed_at=now)
        .returning(v.id, v.id_user, v.identifier, v.data)
        .execution_options(synchronize_session=False)
    )
    row = (await scope.db.execute(stmt)).first()
    if row is None:
        return None
    return Claimed(id=row[0], id_user=row[1], identifier=row[2], data=row[3])
