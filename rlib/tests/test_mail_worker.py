"""The outbox worker against real aiosmtpd servers on 127.0.0.1: delivery, retry, failover."""

import asyncio
import datetime as dt

import pytest

from fixture_apps.shop.mail import MAILER
from mail_helpers import FakeClock, make_worker, outbox_rows, queue, set_message_id
from rlib.mail import FileTransport, MailAccount, RetryPolicy
from rlib.testing.smtp import HangingServer, SmtpServer, closed_port


@pytest.fixture
async def smtp():
    server = await SmtpServer().start()
    yield server
    await server.stop()


@pytest.fixture
def clock():
    return FakeClock()


async def test_delivers_html_and_text_parts_and_marks_sent(database, smtp, clock):
    [row_id] = await queue(database, subject="Halo", html="<p>Halo</p>", text="Halo juga")
    worker = make_worker(database, [smtp.account("primary")], clock=clock)
    assert await worker.run_once() == 1
    [message] = smtp.messages
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
    assert parts["text/plain"].strip() == "Halo juga"
    assert parts["text/html"].strip() == "<p>Halo</p>"
    assert message["Message-ID"] == f"<{row_id}@shop.test>"
    assert message["From"] == "primary@example.test"
    [row] = await outbox_rows(database)
    assert (row.status, row.account, row.attempts, row.lease_until) == ("sent", "primary", 1, None)
    assert row.sent_at is not None


async def test_a_row_without_message_id_gets_a_stable_one_from_its_id(database, smtp, clock):
    # Rows written by hand (a seed, an import) may lack the Message-ID send_email sets.
    [row_id] = await queue(database)
    await set_message_id(database, None)
    worker = make_worker(database, [smtp.account("primary")], clock=clock)
    assert await worker.run_once() == 1
    [message] = smtp.messages
    assert message["Message-ID"] == f"<{row_id}@example.test>"
    [row] = await outbox_rows(database)
    assert row.status == "sent"


async def test_connection_is_reused_per_account(database, smtp, clock):
    await queue(database, 3)
    worker = make_worker(database, [smtp.account("primary")], clock=clock)
    await worker.drain()
    assert len(smtp.messages) == 3
    assert smtp.connections == 1


async def test_template_model_is_redacted_once_sent(client, database, smtp, clock):
    await client.post("/api/shop/mail/send", json={"to": ["a@example.com"], "name": "Sari"})
    await make_worker(database, [smtp.account("primary")], clock=clock).run_once()
    [row] = await outbox_rows(database)
    assert row.template_model == {"name": "[redacted]", "url": "[redacted]"}


async def test_primary_down_delivers_through_the_secondary(database, smtp, clock):
    await queue(database, 2)
    down = smtp.account("primary", port=closed_port())
    worker = make_worker(database, [down, smtp.account("secondary")], clock=clock)
    assert await worker.run_once() == 2
    assert len(smtp.messages) == 2
    assert {row.account for row in await outbox_rows(database)} == {"secondary"}


async def test_all_down_keeps_mail_queued_then_delivers_everything(database, clock):
    server = SmtpServer()
    server.port = closed_port()
    await queue(database, 5)
    worker = make_worker(database, [server.account("primary")], batch_size=2, clock=clock)
    for _ in range(3):  # three attempts while the server is down
        await worker.drain()
        rows = await outbox_rows(database)
        assert {row.status for row in rows} == {"queued"}
        clock.advance(RetryPolicy().cap_s)
    assert {row.attempts for row in rows} == {3}
    assert "ConnectionRefused" in (rows[0].last_error or "") or "connect" in rows[0].last_error
    await server.start()
    try:
        assert await worker.drain() == 5
        await server.wait_for(5)
    finally:
        await worker.stop()
        await server.stop()
    assert {row.status for row in await outbox_rows(database)} == {"sent"}
    assert len({m["Message-ID"] for m in server.messages}) == 5


@pytest.mark.parametrize("reply", ["421 Service not available", "451 Try again later"])
async def test_temporary_smtp_codes_are_retried_with_backoff(database, smtp, clock, reply):
    await queue(database)
    smtp.data_replies.append(reply)
    worker = make_worker(database, [smtp.account("primary")], clock=clock)
    await worker.run_once()
    [row] = await outbox_rows(database)
    assert (row.status, row.attempts) == ("queued", 1)
    assert reply.split()[0] in row.last_error
    assert row.next_attempt_at == clock.now + dt.timedelta(seconds=10)
    assert await worker.run_once() == 0  # not due yet
    clock.advance(10)
    assert await worker.run_once() == 1
    [row] = await outbox_rows(database)
    assert (row.status, row.attempts, len(smtp.messages)) == ("sent", 2, 1)


async def test_permanent_smtp_code_fails_without_retry_or_failover(database, smtp, clock):
    await queue(database)
    smtp.data_replies.append("550 Mailbox unavailable")
    other = await SmtpServer().start()
    try:
        worker = make_worker(database, [smtp.account("a"), other.account("b")], clock=clock)
        await worker.run_once()
        clock.advance(3600)
        assert await worker.run_once() == 0
    finally:
        await other.stop()
    [row] = await outbox_rows(database)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550" in row.last_error
    assert smtp.messages == other.messages == []


async def test_refused_recipient_550_fails_the_message(database, smtp, clock):
    await queue(database)
    smtp.rcpt_reply = "550 No such user"
    await make_worker(database, [smtp.account("a")], clock=clock).run_once()
    [row] = await outbox_rows(database)
    assert row.status == "failed"


async def test_hanging_server_times_out_and_is_retried(database, smtp, clock):
    await queue(database)
    hanging = await HangingServer().start()
    try:
        stuck = smtp.account("stuck", port=hanging.port, timeout_s=0.2)
        worker = make_worker(database, [stuck], clock=clock)
        await worker.run_once()
    finally:
        await hanging.stop()
    [row] = await outbox_rows(database)
    assert (row.status, row.attempts) == ("queued", 1)
    assert "timeout" in row.last_error.lower()


async def test_gives_up_after_twelve_attempts(database, clock):
    await queue(database)
    worker = make_worker(database, [MailAccount(name="x", port=closed_port())], clock=clock)
    delays = []
    for _ in range(12):
        before = clock.now
        assert await worker.run_once() == 1
        [row] = await outbox_rows(database)
        if row.status == "queued":
            delays.append((row.next_attempt_at - before).total_seconds())
            clock.now = row.next_attempt_at
    assert (row.status, row.attempts) == ("failed", 12)
    assert delays == [10, 20, 40, 80, 160, 320, 600, 600, 600, 600, 600]


async def test_message_older_than_a_day_fails_on_its_next_temporary_failure(database, clock):
    await queue(database)
    clock.advance(24 * 3600)
    worker = make_worker(database, [MailAccount(name="x", port=closed_port())], clock=clock)
    await worker.run_once()
    [row] = await outbox_rows(database)
    assert (row.status, row.attempts) == ("failed", 1)


class Killed(BaseException):
    """Stands in for the process dying: nothing after it runs."""


class KillAfter:
    """Delivers through ``inner``, then dies right after the ``n``-th message left."""

    def __init__(self, inner, n):
        self.inner, self.n, self.count = inner, n, 0

    async def send(self, message):
        await self.inner.send(message)
        self.count += 1
        if self.count == self.n:
            raise Killed()

    async def close(self):
        await self.inner.close()


async def test_killed_worker_rows_are_retaken_after_the_lease(database, smtp, clock):
    await queue(database, 8)
    account = smtp.account("primary")
    first = make_worker(database, [account], clock=clock, batch_size=5)
    first.transports["primary"] = KillAfter(first.transports["primary"], 3)
    with pytest.raises(Killed):
        await first.run_once()
    second = make_worker(database, [account], clock=clock, batch_size=5)
    await second.drain()  # the 3 unclaimed rows only: the lease still holds the others
    assert len(smtp.messages) == 6
    clock.advance(121)
    await second.drain()
    await second.stop()
    ids = [m["Message-ID"] for m in smtp.messages]
    assert {row.status for row in await outbox_rows(database)} == {"sent"}
    assert len(set(ids)) == 8
    duplicates = len(ids) - len(set(ids))
    assert 1 <= duplicates <= 5  # the message in flight at the crash, never more than the batch


async def test_concurrent_workers_never_send_a_message_twice(database, smtp, clock):
    await queue(database, 40)
    workers = [
        make_worker(database, [smtp.account("primary")], clock=clock, batch_size=3)
        for _ in range(4)
    ]
    claimed = await asyncio.gather(*(worker.drain() for worker in workers))
    for worker in workers:
        await worker.stop()
    ids = [m["Message-ID"] for m in smtp.messages]
    assert sum(claimed) == 40
    assert len(ids) == len(set(ids)) == 40


async def test_worker_is_woken_by_a_commit_without_polling(client, database, smtp):
    worker = make_worker(database, [smtp.account("primary")], clock=FakeClock())
    worker.start()
    try:
        await client.post("/api/shop/mail/send", json={"to": ["a@example.com"]})
        await smtp.wait_for(1)  # the poll interval is 60 s: only the wake-up can explain this
    finally:
        await worker.stop()


async def test_file_transport_writes_eml_files(database, clock, tmp_path):
    await queue(database, subject="Berkas", text="Isi berkas")
    account = MailAccount(name="demo", transport="file", directory=str(tmp_path / "mail"))
    worker = make_worker(database, [account], clock=clock)
    assert isinstance(worker.transports["demo"], FileTransport)
    await worker.run_once()
    [path] = (tmp_path / "mail").glob("*.eml")
    content = path.read_text()
    assert "Subject: Berkas" in content
    assert "Isi berkas" in content
    [row] = await outbox_rows(database)
    assert (row.status, row.account) == ("sent", "demo")


async def test_worker_hooks_run_the_worker_inside_an_app(client, database, smtp):
    from types import SimpleNamespace

    from rlib.mail import MailConfig, WorkerHooks

    account = smtp.account("primary")
    config = MailConfig(accounts={"primary": account}, contexts={"main": ["primary"]})
    hooks = WorkerHooks(mailer=MAILER, config=config)
    app = SimpleNamespace(database=database)
    await hooks.start(app)
    try:
        await client.post("/api/shop/mail/send", json={"to": ["a@example.com"]})
        [message] = await smtp.wait_for(1)
    finally:
        await hooks.stop(app)
    assert message["Subject"] == "Halo"
    assert hooks.worker is None
