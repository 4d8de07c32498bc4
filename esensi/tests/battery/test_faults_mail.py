"""The mail outbox when SMTP is down and when its worker is killed (security.md D2; §16 T8.4,
T8.6). The worker is the real ``esensi mail worker`` process, on a compressed retry schedule
(base 0.5 s, cap 5 s) and the shortest lease allowed (5 s); SMTP is aiosmtpd on 127.0.0.1.

Delivery is at least once: a worker killed mid-batch has sent part of the batch without
recording it, and those rows go again once their lease ends — the duplicates the design allows
(at most the rows in flight), counted here by Message-ID.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from battery_support import Battery, sized
from notify_live import PG_URL
from sqlalchemy import func, select

from conftest_helpers import empty_database
from esensi.emails import mailer
from esensi.models.outbox import MailOutbox
from esensi.settings import MAIL_CONTEXTS
from rlib import DatabaseConfig, Scope
from rlib.db.engine import Database
from rlib.mail.api import send_email
from rlib.testing.smtp import SmtpServer

pytestmark = [pytest.mark.battery]

BATCH = 20
LEASE_S = 5


class SlowSmtp(SmtpServer):
    """Takes ``delay_s`` per message, so a batch is in flight long enough to be killed."""

    delay_s = 0.05

    async def on_data(self, content: bytes, recipients: list[str]) -> str:
        await asyncio.sleep(self.delay_s)
        return await super().on_data(content, recipients)


@pytest.fixture
async def mail_db(migrated_urls: dict[str, str]) -> AsyncIterator[Database]:
    database = Database(DatabaseConfig(url=migrated_urls["postgresql" if PG_URL else "sqlite"]))
    try:
        await empty_database(database)
        yield database
    finally:
        await database.dispose()


async def _queue(database: Database, count: int) -> None:
    unit = database.unit()
    try:
        for n in range(count):
            await send_email(
                Scope(unit),
                mailer=mailer,
                context="main",
                to=f"pembaca{n}@contoh.id",
                subject=f"Pesan {n}",
                html=f"<p>Isi {n}</p>",
                text=f"Isi {n}",
            )
        await unit.commit()
    finally:
        await unit.close()


def _worker(database: Database, smtp: SmtpServer, log: Path) -> subprocess.Popen[bytes]:
    account = {
        "transport": "smtp",
        "host": "127.0.0.1",
        "port": smtp.port,
        "security": "none",
        "timeout_s": 2,
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESENSI_")}
    env.update(
        {
            "ESENSI_ENV": "test",
            "ESENSI_DATABASE_URL": database.config.url,
            "ESENSI_MAIL__ACCOUNTS": json.dumps({"smtp": account}),
            "ESENSI_MAIL__CONTEXTS": json.dumps({c: ["smtp"] for c in MAIL_CONTEXTS}),
            "ESENSI_MAIL__BATCH_SIZE": str(BATCH),
            "ESENSI_MAIL__LEASE_S": str(LEASE_S),
            "ESENSI_MAIL__POLL_INTERVAL_S": "0.2",
            "ESENSI_MAIL__RETRY_BASE_S": "0.5",
            "ESENSI_MAIL__RETRY_CAP_S": "5",
            "ESENSI_LOG_LEVEL": "WARNING",
        }
    )
    esensi = str(Path(sys.executable).parent / "esensi")
    with log.open("ab") as out:
        return subprocess.Popen([esensi, "mail", "worker"], env=env, stdout=out, stderr=out)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _statuses(database: Database) -> dict[str, int]:
    async with database.sessionmaker() as db:
        rows = await db.execute(select(MailOutbox.status, func.count()).group_by(MailOutbox.status))
        return {str(status): int(n) for status, n in rows.all()}


async def _received(smtp: SmtpServer, count: int, seconds: float) -> float | None:
    """Seconds until ``count`` distinct messages arrived (None: not within ``seconds``)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if len(_ids(smtp)) >= count:
            return time.monotonic() - started
        await asyncio.sleep(0.05)
    return None


def _ids(smtp: SmtpServer) -> Counter[str]:
    return Counter(str(m["Message-ID"]) for m in smtp.messages)


async def test_smtp_down_keeps_the_mail_and_delivers_it_later(
    mail_db: Database, tmp_path: Path, battery: Battery
) -> None:
    count = sized(ci=40, report=400)
    down_s = sized(ci=3, report=20)
    smtp = await SmtpServer().start()
    await smtp.stop()  # the port is known, nothing listens: connection refused
    await _queue(mail_db, count)
    worker = _worker(mail_db, smtp, tmp_path / "worker.log")
    try:
        await asyncio.sleep(down_s)
        during = await _statuses(mail_db)
        await smtp.start()
        took = await _received(smtp, count, 40)
        await asyncio.sleep(0.5)  # the last batch's outcome written
        after = await _statuses(mail_db)
    finally:
        _stop(worker)
        await smtp.stop()
    ids = _ids(smtp)
    battery.check(
        "F6.1",
        f"smtp down {down_s} s: rows kept queued (none failed)",
        f"{count} queued",
        during,
        during.get("failed", 0) == 0 and sum(during.values()) == count,
    )
    battery.check(
        "F6.2",
        "smtp down: s to deliver all once back (retry cap 5 s)",
        "<= cap + 30",
        "not all" if took is None else f"{took:.2f}",
        took is not None and took <= 35,
    )
    lost, duplicates = count - len(ids), sum(ids.values()) - len(ids)
    battery.check(
        "F6.3",
        "smtp down: emails lost / duplicated",
        "0 / 0",
        f"{lost} / {duplicates} (outbox {after})",
        (lost, duplicates) == (0, 0) and after == {"sent": count},
    )


async def test_mail_worker_killed_mid_batch_loses_nothing(
    mail_db: Database, tmp_path: Path, battery: Battery
) -> None:
    count = sized(ci=60, report=400)
    smtp = await SlowSmtp().start()
    await _queue(mail_db, count)
    log = tmp_path / "worker.log"
    first = _worker(mail_db, smtp, log)
    try:
        kill_at = BATCH // 2  # half of the first batch sent, none of it recorded
        assert await _received(smtp, kill_at, 60) is not None, log.read_text()[-2000:]
        first.send_signal(signal.SIGKILL)
        first.wait()
        at_kill = len(smtp.messages)
        second = _worker(mail_db, smtp, log)
        try:
            took = await _received(smtp, count, LEASE_S + 30 + count * SlowSmtp.delay_s * 2)
            await asyncio.sleep(0.5)
            after = await _statuses(mail_db)
        finally:
            _stop(second)
    finally:
        _stop(first)
        await smtp.stop()
    ids = _ids(smtp)
    lost, duplicates = count - len(ids), sum(ids.values()) - len(ids)
    budget = LEASE_S + 10 + count * SlowSmtp.delay_s  # the lease, then sending at SMTP's pace
    battery.check(
        "F7.1",
        f"mail worker SIGKILL after {at_kill} sent: emails lost",
        "= 0",
        f"{lost} of {count} (outbox {after})",
        lost == 0 and after == {"sent": count},
    )
    battery.check(
        "F7.2",
        "mail worker SIGKILL: duplicates (at least once)",
        f"<= {BATCH} (one batch in flight)",
        duplicates,
        duplicates <= BATCH,
    )
    battery.check(
        "F7.3",
        f"mail worker SIGKILL: s until all delivered by a new worker (lease {LEASE_S} s)",
        f"<= {budget:.0f}",
        "not all" if took is None else f"{took:.2f}",
        took is not None and took <= budget,
    )
