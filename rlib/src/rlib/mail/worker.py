"""The outbox worker: claim due rows, deliver through the context's accounts, record the outcome.

Claiming is one ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING``: on
PostgreSQL concurrent workers skip each other's rows; on SQLite the single writer serialises it.
A claim sets a lease; a crashed worker's rows are retaken once the lease expires, so delivery is
at least once and duplicates are limited to messages in flight at the crash. Each claim counts
as an attempt, so a message that kills its worker cannot loop forever.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from email.utils import parseaddr
from typing import Any, Protocol

from sqlalchemy import Table, and_, bindparam, or_, select, update

from rlib.db.base import utcnow
from rlib.db.engine import Database
from rlib.mail.accounts import MailAccount, MailConfig
from rlib.mail.api import Mailer
from rlib.mail.mime import OutgoingMail, compose
from rlib.mail.outbox import MailStatus
from rlib.mail.transports import PermanentFailure, Transport, build_transports

logger = logging.getLogger("rlib.mail")

Clock = Callable[[], dt.datetime]
_REDACTED = "[redacted]"


def build_message(row: Any, account: MailAccount) -> OutgoingMail:
    """The message of an outbox row as ``account`` sends it (Message-ID fixed per row)."""
    return compose(
        from_address=account.from_address,
        to=row.to_addrs,
        subject=row.subject,
        message_id=row.message_id or _fallback_message_id(row.id, account.from_address),
        date=row.created_at,
        headers={**account.headers, **(row.headers or {})},
        text=row.text,
        html=row.html,
    )


def _fallback_message_id(row_id: object, from_address: str) -> str:
    """A Message-ID for a row written without one (by hand or by an import rather than
    ``send_email``): derived from the row id, so every retry sends the same one."""
    domain = parseaddr(from_address)[1].rpartition("@")[2] or "localhost"
    return f"<{row_id}@{domain}>"


class OutboxWorker:
    """Delivers queued mail of one outbox table; run with :meth:`start` / :meth:`stop`."""

    def __init__(
        self,
        *,
        database: Database,
        mailer: Mailer,
        config: MailConfig,
        transports: Mapping[str, Transport],
        clock: Clock = utcnow,
    ) -> None:
        config.check()
        self.database = database
        self.mailer = mailer
        self.config = config
        self.transports = dict(transports)
        self.clock = clock
        # The mixin is declared on the app's base, which gives the concrete class its table.
        self.table: Table = mailer.outbox.__table__  # type: ignore[attr-defined]
        self._bell = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        """Claim one batch of due messages and deliver it; returns how many were claimed."""
        rows = await self._claim()
        outcomes = [(row, await self._deliver(row)) for row in rows]
        await self._write_all(outcomes)
        return len(rows)

    async def drain(self) -> int:
        """Deliver batches until nothing is due; returns how many messages were claimed."""
        total = 0
        while claimed := await self.run_once():
            total += claimed
        return total

    def start(self) -> None:
        """Run in the background until :meth:`stop`, woken by commits, polling as a fallback."""
        self.mailer.subscribe(self._bell)
        self._task = asyncio.create_task(self._loop(), name="rlib-mail-worker")

    async def stop(self) -> None:
        """Finish the current message, stop, and close the transports."""
        self._stopping.set()
        self._bell.set()
        self.mailer.unsubscribe(self._bell)
        if self._task is not None:
            await self._task
            self._task = None
        for transport in self.transports.values():
            await transport.close()

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            self._bell.clear()
            try:
                claimed = await self.run_once()
            except Exception:
                logger.exception("mail worker: batch failed; retrying after the poll interval")
                claimed = 0
            if claimed >= self.config.batch_size:
                continue
            try:
                async with asyncio.timeout(self.config.poll_interval_s):
                    await self._bell.wait()
            except TimeoutError:
                pass

    async def _claim(self) -> list[Any]:
        t = self.table
        now = self.clock()
        due = or_(
            and_(t.c.status == MailStatus.QUEUED.value, t.c.next_attempt_at <= now),
            and_(t.c.status == MailStatus.SENDING.value, t.c.lease_until < now),
        )
        pick = (
            select(t.c.id)
            .where(due)
            .order_by(t.c.next_attempt_at)
            .limit(self.config.batch_size)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(t)
            .where(t.c.id.in_(pick.scalar_subquery()))
            .values(
                status=MailStatus.SENDING.value,
                lease_until=now + dt.timedelta(seconds=self.config.lease_s),
                attempts=t.c.attempts + 1,
                updated_at=now,
            )
            .returning(*t.c)
        )
        unit = self.database.unit()
        try:
            async with unit.transaction() as session:
                rows = list((await session.execute(claim)).all())
        finally:
            await unit.close()
        return sorted(rows, key=lambda row: row.next_attempt_at)

    async def _deliver(self, row: Any) -> dict[str, object]:
        """Send one message; returns the row's new values (written with the whole batch)."""
        errors: list[str] = []
        for account in self.config.accounts_for(row.context):
            try:
                await self.transports[account.name].send(build_message(row, account))
            except PermanentFailure as exc:
                return self._finish(row, status=MailStatus.FAILED, account=account, error=str(exc))
            except Exception as exc:  # TemporaryFailure, or a bug in a transport
                # An unexpected error is treated as temporary: the message must not be lost.
                errors.append(f"{account.name}: {exc}")
                logger.warning("mail %s via %s failed: %s", row.id, account.name, exc)
                continue
            return self._finish(row, status=MailStatus.SENT, account=account, error=None)
        return self._retry_later(row, "; ".join(errors))

    def _retry_later(self, row: Any, error: str) -> dict[str, object]:
        now = self.clock()
        policy = self.config.retry
        too_old = now - row.created_at >= dt.timedelta(seconds=policy.max_age_s)
        if row.attempts >= policy.max_attempts or too_old:
            return self._finish(row, status=MailStatus.FAILED, account=None, error=error)
        next_at = now + dt.timedelta(seconds=policy.delay_s(row.attempts))
        return {
            "status": MailStatus.QUEUED.value,
            "next_attempt_at": next_at,
            "lease_until": None,
            "last_error": error[:2000],
            "updated_at": now,
        }

    def _finish(
        self, row: Any, *, status: MailStatus, account: MailAccount | None, error: str | None
    ) -> dict[str, object]:
        now = self.clock()
        values: dict[str, object] = {"status": status.value, "lease_until": None, "updated_at": now}
        if status is MailStatus.SENT:
            values.update(account=account.name if account else None, sent_at=now)
            if row.template_model:
                values["template_model"] = dict.fromkeys(row.template_model, _REDACTED)
        if error is not None:
            values["last_error"] = error[:2000]
        return values

    async def _write_all(self, outcomes: list[tuple[Any, dict[str, object]]]) -> None:
        # One transaction (one commit, one fsync) per batch instead of per message, and one
        # executemany per shape of outcome (sent, retry, failed) instead of one UPDATE per
        # row. A crash before it re-sends the batch after the lease expires: at least once,
        # duplicates only for the batch in flight.
        if not outcomes:
            return
        shapes: dict[tuple[str, ...], list[dict[str, object]]] = {}
        for row, values in outcomes:
            params = {f"v_{key}": value for key, value in values.items()}
            params.update(b_id=row.id, b_lease=row.lease_until)
            shapes.setdefault(tuple(sorted(values)), []).append(params)
        unit = self.database.unit()
        try:
            async with unit.transaction() as session:
                for keys, rows in shapes.items():
                    await session.execute(self._outcome_update(keys), rows)
        finally:
            await unit.close()

    def _outcome_update(self, keys: tuple[str, ...]) -> Any:
        t = self.table
        return (
            update(t)
            # Only while still ours: a row retaken after our lease is the new owner's.
            .where(t.c.id == bindparam("b_id", type_=t.c.id.type))
            .where(t.c.status == MailStatus.SENDING.value)
            .where(t.c.lease_until == bindparam("b_lease", type_=t.c.lease_until.type))
            .values({key: bindparam(f"v_{key}", type_=t.c[key].type) for key in keys})
        )


class _HasDatabase(Protocol):
    @property
    def database(self) -> Database: ...


class WorkerHooks:
    """``on_startup`` / ``on_shutdown`` hooks that run an :class:`OutboxWorker` inside the app::

    hooks = WorkerHooks(mailer=mailer, config=mail_config)
    create_app(..., on_startup=[hooks.start], on_shutdown=[hooks.stop])
    """

    def __init__(self, *, mailer: Mailer, config: MailConfig) -> None:
        config.check()
        self.mailer = mailer
        self.config = config
        self.worker: OutboxWorker | None = None

    async def start(self, app: _HasDatabase) -> None:
        """Start the worker on the app's database."""
        self.worker = OutboxWorker(
            database=app.database,
            mailer=self.mailer,
            config=self.config,
            transports=build_transports(self.config.accounts),
        )
        self.worker.start()

    async def stop(self, app: _HasDatabase) -> None:
        """Stop the worker after its current message."""
        if self.worker is not None:
            await self.worker.stop()
            self.worker = None
