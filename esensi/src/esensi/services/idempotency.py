"""``Idempotency-Key`` (security.md D5) on the ``idempotency_key`` table.

:func:`claim` runs in a unit of its own and commits at once, so a concurrent duplicate sees
the claim: same key and body → the stored answer; another body → 422; still running → 409.
:func:`store` writes the answer in the request's own transaction (the answer exists exactly
when the work committed); :func:`abandon` frees a key whose request failed, so a retry runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from esensi.models.enums import IdempotencyStatus
from esensi.models.idempotency import IdempotencyKey
from esensi.services.payment_errors import IdempotencyBusyError, IdempotencyMismatchError
from rlib import FieldError, Scope, ValidationError
from rlib.db.ids import uuid7

LIFETIME = dt.timedelta(hours=24)
MAX_KEY = 128


def check_key(key: str) -> str:
    """A usable key: 1-128 visible ASCII characters (422 otherwise)."""
    if not 0 < len(key) <= MAX_KEY or not all(33 <= ord(c) < 127 for c in key):
        raise ValidationError([FieldError(loc=("header", "Idempotency-Key"), key="v.invalid")])
    return key


def request_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


async def claim(scope: Scope, *, owner: str, key: str, body: bytes, now: dt.datetime) -> Any | None:
    """Claim ``key`` for this request: None to go on, or the stored answer of the first one.

    Raises:
        IdempotencyMismatchError: 422, the key came with another body.
        IdempotencyBusyError: 409, the first request with the key is still running.
    """
    digest = request_hash(body)
    async with scope.unit.separately() as unit:
        db = unit.session
        await db.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.scope == owner,
                IdempotencyKey.key == key,
                IdempotencyKey.expires_at < now,
            )
        )
        dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
        inserted = await db.execute(
            dialect.insert(IdempotencyKey)
            .values(
                id=uuid7(),
                scope=owner,
                key=key,
                request_hash=digest,
                status=IdempotencyStatus.IN_PROGRESS.value,
                expires_at=now + LIFETIME,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["scope", "key"])
            .returning(IdempotencyKey.id)
        )
        if inserted.first() is not None:
            return None
        found = (
            await db.execute(
                select(
                    IdempotencyKey.request_hash,
                    IdempotencyKey.status,
                    IdempotencyKey.response_body,
                ).where(IdempotencyKey.scope == owner, IdempotencyKey.key == key)
            )
        ).one()
    if found[0] != digest:
        raise IdempotencyMismatchError()
    if found[1] != IdempotencyStatus.COMPLETED.value:
        raise IdempotencyBusyError()
    return found[2]


async def store(scope: Scope, *, owner: str, key: str, answer: Any) -> None:
    """Keep ``answer`` for replays, in the caller's transaction."""
    await scope.db.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.scope == owner, IdempotencyKey.key == key)
        .values(status=IdempotencyStatus.COMPLETED.value, response_status=200, response_body=answer)
        .execution_options(synchronize_session=False)
    )


async def abandon(scope: Scope, *, owner: str, key: str) -> None:
    """Free an unfinished claim (its request failed), in a unit of its own."""
    async with scope.unit.separately() as unit:
        await unit.session.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.scope == owner,
                IdempotencyKey.key == key,
                IdempotencyKey.status == IdempotencyStatus.IN_PROGRESS.value,
            )
        )
