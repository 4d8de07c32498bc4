"""Staff views of the mail outbox: status per message, and re-queueing a failed one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from esensi.emails import mailer
from esensi.models.outbox import MailOutbox
from rlib import ConflictError, NotFoundError, Scope
from rlib.db.base import utcnow
from rlib.mail import MailStatus


class MailNotFailedError(ConflictError):
    """409: only a message that failed for good can be sent again."""

    code = "mail_not_failed"
    key = "error.mail_not_failed"


@dataclass(frozen=True, slots=True)
class OutboxPage:
    """A page of outbox rows, newest first."""

    rows: list[MailOutbox]
    total: int


async def list_messages(
    scope: Scope, *, status: MailStatus | None, page: int, limit: int
) -> OutboxPage:
    """Outbox rows, newest first, optionally of one status."""
    where = [MailOutbox.status == status.value] if status else []
    total = await scope.db.scalar(select(func.count()).select_from(MailOutbox).where(*where))
    rows = await scope.db.scalars(
        select(MailOutbox)
        .where(*where)
        .order_by(MailOutbox.created_at.desc(), MailOutbox.id.desc())
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return OutboxPage(rows=list(rows), total=total or 0)


async def retry(scope: Scope, *, message_id: uuid.UUID) -> MailOutbox:
    """Queue a failed message again with a fresh attempt budget; the worker is woken on commit.

    Raises:
        NotFoundError: no such message.
        MailNotFailedError: the message is not in ``failed``.
    """
    now = utcnow()
    stmt = (
        update(MailOutbox)
        .where(MailOutbox.id == message_id, MailOutbox.status == MailStatus.FAILED.value)
        .values(status=MailStatus.QUEUED.value, attempts=0, next_attempt_at=now, updated_at=now)
        .returning(MailOutbox.id)
    )
    if (await scope.db.execute(stmt)).scalar_one_or_none() is None:
        if await scope.db.get(MailOutbox, message_id) is None:
            raise NotFoundError("resource.mail")
        raise MailNotFailedError()
    scope.on_commit(mailer.ring)
    row = await scope.db.get(MailOutbox, message_id, populate_existing=True)
    assert row is not None  # updated above in this transaction
    return row


async def queue_state(db: AsyncSession) -> tuple[int, float]:
    """Queued messages and the age in seconds of the oldest (0 when none): one aggregate on
    the ``(status, next_attempt_at)`` index, cheap enough for every metrics scrape."""
    count, oldest = (
        await db.execute(
            select(func.count(), func.min(MailOutbox.created_at)).where(
                MailOutbox.status == MailStatus.QUEUED.value
            )
        )
    ).one()
    age = 0.0 if oldest is None else max(0.0, (utcnow() - oldest).total_seconds())
    return int(count), age
