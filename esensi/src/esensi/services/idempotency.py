"""``Idempotency-Key`` (security.md D5) on the ``idempotency_key`` table.

:func:`claim` runs in a unit of its own and commits at once, so a concurrent duplicate sees
the claim: same key and body → the stored answer; another body → 422; still running → 409.
:func:`store` writes the answer in the request's own transaction (the answer exists exactly
when the work committed); :func:`abandon` frees a key whose request failed, so a retry runs.

A request that failed because the database went away cannot free its claim then: the
abandon is retried in the background until the database is back (battery F1 found the key
answering 409 for 24 h after a PostgreSQL restart). Until then the claim is known dead in
this process, so a retry reaching it here takes it over at once instead of answering 409
(battery F1/F3: a retry met "in progress" for seconds behind the background free). A claim
whose process died is taken over once it is older than :data:`LEASE`, as the mail outbox
does with its rows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.enums import IdempotencyStatus
from esensi.models.idempotency import IdempotencyKey
from esensi.services.payment_errors import IdempotencyBusyError, IdempotencyMismatchError
from rlib import FieldError, Scope, ValidationError
from rlib.db.ids import uuid7
from rlib.db.tx import UnitOfWork

LIFETIME = dt.timedelta(hours=24)
# An unfinished claim older than this is a request that died with its process: taken over.
LEASE = dt.timedelta(minutes=2)
MAX_KEY = 128
# Claim attempts when the claim in the way vanishes before it can be read.
ATTEMPTS = 3
# The background free: first after RETRY_S, then every RETRY_CAP_S, for at most RETRY_FOR_S
# (one statement on one connection: cheap enough to free claims within 1 s of a recovery).
RETRY_S = 0.5
RETRY_CAP_S = 1.0
RETRY_FOR_S = 120.0

logger = logging.getLogger("esensi.idempotency")
# Claims to free later, per database (its units' session factory): a template unit and ids.
_later: dict[int, tuple[UnitOfWork, set[uuid.UUID]]] = {}
_freer: asyncio.Task[None] | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """This request's claim of a key (``id``), or the stored answer of the first (``replay``)."""

    id: uuid.UUID | None
    replay: Any = None


def check_key(key: str) -> str:
    """A usable key: 1-128 visible ASCII characters (422 otherwise)."""
    if not 0 < len(key) <= MAX_KEY or not all(33 <= ord(c) < 127 for c in key):
        raise ValidationError([FieldError(loc=("header", "Idempotency-Key"), key="v.invalid")])
    return key


def request_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


async def claim(scope: Scope, *, owner: str, key: str, body: bytes, now: dt.datetime) -> Claim:
    """Claim ``key`` for this request (``Claim.id``), or the stored answer of the first one
    (``Claim.replay``).

    Raises:
        IdempotencyMismatchError: 422, the key came with another body.
        IdempotencyBusyError: 409, the first request with the key is still running.
    """
    digest = request_hash(body)
    for _ in range(ATTEMPTS):
        found = await _try_claim(scope, owner=owner, key=key, digest=digest, now=now)
        if isinstance(found, Claim):
            return found
        if found is None:  # the other claim was freed between our insert and our read
            continue
        if found[0] != digest:
            raise IdempotencyMismatchError()
        if found[1] != IdempotencyStatus.COMPLETED.value:
            raise IdempotencyBusyError()
        return Claim(None, found[2])
    raise IdempotencyBusyError()


async def _try_claim(
    scope: Scope, *, owner: str, key: str, digest: str, now: dt.datetime
) -> Claim | tuple[Any, ...] | None:
    """Insert the claim (ours: a Claim), else read the one in place (hash, status, answer),
    or None when it vanished in between (freed by its failed request, battery F3)."""
    async with scope.unit.separately() as unit:
        db = unit.session
        await db.execute(
            delete(IdempotencyKey).where(
                IdempotencyKey.scope == owner,
                IdempotencyKey.key == key,
                or_(
                    IdempotencyKey.expires_at < now,
                    and_(
                        IdempotencyKey.status == IdempotencyStatus.IN_PROGRESS.value,
                        IdempotencyKey.created_at < now - LEASE,
                    ),
                ),
            )
        )
        dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
        claim_id = uuid7()
        inserted = await db.execute(
            dialect.insert(IdempotencyKey)
            .values(
                id=claim_id,
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
            return Claim(claim_id)
        found = await existing(db, owner, key)
        if found is not None and found[1] == IdempotencyStatus.IN_PROGRESS.value:
            dead = _dead_claim(found[3])
            if dead is not None and found[0] == digest:
                await _take_over(db, dead)
                return None  # claim again, now that the dead one is gone
        return found


async def existing(db: AsyncSession, owner: str, key: str) -> tuple[Any, ...] | None:
    """The claim in place for ``key``: (request hash, status, stored answer, id), or None."""
    row = (
        await db.execute(
            select(
                IdempotencyKey.request_hash,
                IdempotencyKey.status,
                IdempotencyKey.response_body,
                IdempotencyKey.id,
            ).where(IdempotencyKey.scope == owner, IdempotencyKey.key == key)
        )
    ).first()
    return None if row is None else tuple(row)


def _dead_claim(claim_id: uuid.UUID) -> set[uuid.UUID] | None:
    """The pending-free set holding ``claim_id`` (its request failed in this process), or None."""
    return next((ids for _, ids in _later.values() if claim_id in ids), None)


async def _take_over(db: AsyncSession, pending: set[uuid.UUID]) -> None:
    """Delete the dead claims of ``pending`` now, in the retry's own claim unit."""
    claim_ids = list(pending)
    await db.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.id.in_(claim_ids),
            IdempotencyKey.status == IdempotencyStatus.IN_PROGRESS.value,
        )
    )
    pending.difference_update(claim_ids)


async def store(scope: Scope, *, owner: str, key: str, answer: Any) -> None:
    """Keep ``answer`` for replays, in the caller's transaction."""
    await scope.db.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.scope == owner, IdempotencyKey.key == key)
        .values(status=IdempotencyStatus.COMPLETED.value, response_status=200, response_body=answer)
        .execution_options(synchronize_session=False)
    )


def pool_exhausted(exc: BaseException) -> bool:
    """True when ``exc`` says every pooled connection was busy: freeing a claim now would
    only wait for one too (a database that is down refuses at once, so that is tried)."""
    return isinstance(exc, PoolTimeoutError) or isinstance(exc.__cause__, PoolTimeoutError)


async def abandon(scope: Scope, claim: Claim, *, now: bool = True) -> None:
    """Free this request's unfinished claim (the request failed), in a unit of its own.

    Never raises: when the database cannot take the delete now (it is what failed), or
    ``now`` is False (the pool is exhausted), the claim joins the background free, which
    deletes every pending claim in one statement on one connection (a task per claim, each
    retrying every 0.5 s, kept a saturated pool saturated: battery F1).
    """
    if claim.id is None:
        return
    if now:
        try:
            await _free(scope.unit.sibling(), [claim.id])
            return
        except Exception as exc:
            logger.warning("idempotency claim not freed (%s); retrying", type(exc).__name__)
    global _freer
    loop = asyncio.get_running_loop()
    if _freer is not None and _freer.get_loop() is not loop:  # another event loop's (tests)
        _freer = None
        _later.clear()
    template = scope.unit.sibling()
    key = id(getattr(scope.unit, "_factory", None))
    _later.setdefault(key, (template, set()))[1].add(claim.id)
    if _freer is None or _freer.done():
        _freer = loop.create_task(_free_later())


async def _free(unit: UnitOfWork, claim_ids: list[uuid.UUID]) -> None:
    try:
        async with unit.transaction() as session:
            await session.execute(
                delete(IdempotencyKey).where(
                    IdempotencyKey.id.in_(claim_ids),
                    IdempotencyKey.status == IdempotencyStatus.IN_PROGRESS.value,
                )
            )
    finally:
        await unit.close()


async def _free_later() -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + RETRY_FOR_S
    delay = RETRY_S
    while _later and loop.time() < deadline:
        await asyncio.sleep(delay)
        failed = False
        for key, (template, ids) in list(_later.items()):
            if not ids:  # every one taken over by a retry meanwhile
                del _later[key]
                continue
            batch = list(ids)[:500]
            try:
                await _free(template.sibling(), batch)
            except Exception as exc:  # still away: the lease frees them at the latest
                logger.debug("idempotency claims not freed yet: %s", type(exc).__name__)
                failed = True
                continue
            ids.difference_update(batch)
            if not ids:
                del _later[key]
        delay = min(delay * 2, RETRY_CAP_S) if failed else RETRY_S
    _later.clear()


async def settle() -> None:
    """Wait for the background free (tests, shutdown)."""
    task = _freer
    if task is not None and not task.done() and task.get_loop() is asyncio.get_running_loop():
        await asyncio.gather(task, return_exceptions=True)
