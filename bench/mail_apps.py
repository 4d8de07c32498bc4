"""The two senders of scenario (e): B, a plain smtplib loop, and O, rlib's outbox and worker.

Both render the same subject, text and HTML per message (``render``) and send the same
multipart/alternative MIME message with a fixed Message-ID, so the sink can count each one.
The outbox table lives in a throwaway schema of the bench database, declared with rlib's
``OutboxMixin`` on its own metadata (the bench schema's ``outbox`` table has other columns).
"""

from __future__ import annotations

import asyncio
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Mapped

from rlib.config import DatabaseConfig
from rlib.db.base import make_base, utcnow
from rlib.db.engine import Database, create_engine
from rlib.mail import MailAccount, MailConfig, Mailer, OutboxMixin, OutboxWorker, SmtpTransport
from rlib.mail.api import send_email
from rlib.mail.outbox import outbox_table_args
from rlib.scope import Scope

CONTEXT = "main"
FROM = "toko@example.com"
DOMAIN = "bench.test"

SUBJECT = "Pesanan #{n} sudah dibayar"
TEXT = (
    "Halo {name},\n\nTerima kasih, pembayaran pesanan #{n} sebesar Rp{amount} sudah kami terima.\n"
    "Buku Anda dapat dibaca di {url}\n\n" + "Salam hangat,\nTim Toko\n" * 8
)
HTML = (
    '<!doctype html><html lang="id"><body style="font-family:sans-serif">'
    "<h1>Terima kasih, {name}</h1><p>Pembayaran pesanan <b>#{n}</b> sebesar "
    'Rp{amount} sudah kami terima.</p><p><a href="{url}">Baca buku Anda</a></p>'
    + "<p style='color:#555'>Salam hangat, Tim Toko</p>" * 12
    + "</body></html>"
)

MailBase = make_base()


class BenchMailOutbox(OutboxMixin, MailBase):  # type: ignore[misc, valid-type]
    __tablename__ = "bench_mail_outbox"
    __table_args__ = outbox_table_args([CONTEXT])

    # Declared here so mypy sees the concrete class; the columns come from the mixin.
    id: Mapped[uuid.UUID]


def render(n: int) -> tuple[str, str, str, str]:
    """Recipient, subject, text and HTML of message ``n`` (the same for B and O)."""
    values = {"n": n, "name": f"Pembaca {n}", "amount": f"{45_000 + n % 100 * 500:,}", "url": ""}
    values["url"] = f"https://toko.bench.test/baca/{n}"
    return (
        f"pembaca{n}@example.com",
        SUBJECT.format(**values),
        TEXT.format(**values),
        HTML.format(**values),
    )


def plain_message(n: int) -> EmailMessage:
    """The message B builds: what rlib's worker builds from an outbox row, written by hand."""
    to, subject, body_text, body_html = render(n)
    message = EmailMessage()
    message["From"] = FROM
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<plain-{n}@{DOMAIN}>"
    message["Date"] = format_datetime(utcnow())
    message.set_content(body_text)
    message.add_alternative(body_html, subtype="html")
    return message


def plain_loop(port: int, count: int) -> list[str]:
    """B: render, build and send ``count`` messages over one smtplib connection."""
    ids = []
    with smtplib.SMTP("127.0.0.1", port) as client:
        for n in range(count):
            message = plain_message(n)
            client.send_message(message)
            ids.append(str(message["Message-ID"]))
    return ids


class OutboxBench:
    """O: the outbox table in a throwaway schema, filled in one transaction, drained by workers."""

    def __init__(
        self, database_url: str, port: int, *, schema: str | None = None, lease_s: float = 120.0
    ) -> None:
        self.schema = schema or "bench_mail_" + uuid.uuid4().hex[:10]
        cfg = DatabaseConfig(url=database_url)
        engine = create_engine(cfg).execution_options(schema_translate_map={None: self.schema})
        self.database = Database(cfg, engine=engine)
        self.mailer = Mailer(outbox=BenchMailOutbox, message_id_domain=DOMAIN)
        account = MailAccount(
            name="sink",
            host="127.0.0.1",
            port=port,
            security="none",
            from_address=FROM,
            timeout_s=30.0,
        )
        self.config = MailConfig(
            accounts={"sink": account}, contexts={CONTEXT: ["sink"]}, lease_s=lease_s
        )

    async def create(self) -> None:
        async with self.database.engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            await conn.run_sync(MailBase.metadata.create_all)

    async def drop(self) -> None:
        async with self.database.engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
        await self.database.dispose()

    async def warm(self, connections: int) -> None:
        """Open the pool connections the workers will use, so their backends can be pinned."""
        await asyncio.gather(*(self.database.ping() for _ in range(connections)))

    async def enqueue(self, count: int) -> None:
        """Queue ``count`` messages through ``send_email`` in one transaction."""
        async with self.database.engine.begin() as conn:
            await conn.execute(delete(BenchMailOutbox.__table__))
        unit = self.database.unit()
        try:
            async with unit.transaction():
                scope = Scope(unit)
                for n in range(count):
                    to, subject, body_text, body_html = render(n)
                    await send_email(
                        scope,
                        mailer=self.mailer,
                        context=CONTEXT,
                        to=to,
                        subject=subject,
                        text=body_text,
                        html=body_html,
                    )
        finally:
            await unit.close()

    async def drain(self, connections: int) -> int:
        """Drain the queue with ``connections`` workers, one SMTP connection each."""
        workers = [
            OutboxWorker(
                database=self.database,
                mailer=self.mailer,
                config=self.config,
                transports={"sink": SmtpTransport(self.config.accounts["sink"])},
            )
            for _ in range(connections)
        ]
        try:
            claimed = await asyncio.gather(*(worker.drain() for worker in workers))
        finally:
            for worker in workers:
                for transport in worker.transports.values():
                    await transport.close()
        return sum(claimed)

    async def status_counts(self) -> dict[str, int]:
        t = BenchMailOutbox.__table__
        stmt = select(t.c.status, func.count()).group_by(t.c.status)
        async with self.database.engine.connect() as conn:
            return {status: int(n) for status, n in (await conn.execute(stmt)).all()}

    async def message_ids(self) -> list[str]:
        t = BenchMailOutbox.__table__
        async with self.database.engine.connect() as conn:
            return [str(mid) for (mid,) in (await conn.execute(select(t.c.message_id))).all()]
