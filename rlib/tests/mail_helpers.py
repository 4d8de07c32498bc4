"""Shared pieces of the mail tests: a controllable clock, queueing outside HTTP, outbox reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from fixture_apps.shop.mail import MAILER
from fixture_apps.shop.models import Outbox
from rlib import Scope
from rlib.db.base import utcnow
from rlib.db.engine import Database
from rlib.mail import MailAccount, MailConfig, OutboxWorker, RetryPolicy, build_transports
from rlib.mail.api import send_email


class FakeClock:
    """Starts a minute ahead of real time, so rows queued during the test are already due."""

    def __init__(self) -> None:
        self.now = utcnow() + dt.timedelta(minutes=1)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


async def queue(database: Database, count: int = 1, *, context: str = "main", **kw: Any) -> list:
    """Queue ``count`` plain messages in one committed transaction; returns their ids."""
    unit = database.unit()
    ids = []
    try:
        for n in range(count):
            ids.append(
                await send_email(
                    Scope(unit),
                    mailer=MAILER,
                    context=context,
                    to=kw.get("to", f"pembaca{n}@example.com"),
                    subject=kw.get("subject", f"Pesan {n}"),
                    html=kw.get("html", f"<p>Isi {n}</p>"),
                    text=kw.get("text", f"Isi {n}"),
                )
            )
        await unit.commit()
    finally:
        await unit.close()
    return ids


async def outbox_rows(database: Database) -> list[Outbox]:
    """Every outbox row, oldest first."""
    unit = database.unit()
    try:
        return list(await unit.session.scalars(select(Outbox).order_by(Outbox.created_at)))
    finally:
        await unit.close()


def make_worker(
    database: Database,
    accounts: Sequence[MailAccount],
    *,
    clock: FakeClock,
    batch_size: int = 20,
    contexts: dict[str, list[str]] | None = None,
    **transports: Any,
) -> OutboxWorker:
    """A worker whose ``main`` context fails over through ``accounts`` in order."""
    by_name = {account.name: account for account in accounts}
    config = MailConfig(
        accounts=by_name,
        contexts=contexts or {"main": [a.name for a in accounts]},
        retry=RetryPolicy(),
        batch_size=batch_size,
        lease_s=120,
        poll_interval_s=60,
    )
    built = {**build_transports(by_name), **transports}
    return OutboxWorker(
        database=database, mailer=MAILER, config=config, transports=built, clock=clock
    )


async def set_message_id(database: Database, message_id: str | None) -> None:
    """Overwrite every outbox row's Message-ID (rows written without ``send_email``)."""
    unit = database.unit()
    try:
        await unit.session.execute(update(Outbox).values(message_id=message_id))
        await unit.commit()
    finally:
        await unit.close()
