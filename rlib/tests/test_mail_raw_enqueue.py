"""The outbox row goes in on the unit's raw connection: same values and transaction, no session."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from fixture_apps.shop import mail as shop_mail
from fixture_apps.shop.mail import MAILER
from fixture_apps.shop.models import Outbox, Shelf
from mail_helpers import outbox_rows
from rlib import Scope
from rlib.config import DatabaseConfig
from rlib.db.engine import Database, create_engine
from rlib.db.tx import UnitOfWork
from rlib.mail.api import send_email
from rlib.testing import sqlite_url
from rlib.testing.statements import count_statements


@pytest.fixture(autouse=True)
def _clear_seen() -> Iterator[None]:
    shop_mail.SESSION_AFTER_MAIL.clear()
    yield
    shop_mail.SESSION_AFTER_MAIL.clear()


@contextmanager
def sqlalchemy_executions(database: Database) -> Iterator[list[str]]:
    """Statements SQLAlchemy itself executed (a session or Core connection) in the block."""
    seen: list[str] = []

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", on_execute)


async def _count(database: Database, model: Any) -> int:
    async with database.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _json_nulls(database: Database, row_id: uuid.UUID) -> tuple[bool, bool]:
    """(headers IS NULL, template_model IS NULL) of one row, as SQL sees them."""
    async with database.engine.connect() as conn:
        found = await conn.execute(
            text("SELECT headers IS NULL, template_model IS NULL FROM mail_outbox WHERE id = :id"),
            {"id": row_id if database.dialect == "postgresql" else row_id.hex},
        )
        headers_null, model_null = found.one()
    return bool(headers_null), bool(model_null)


async def test_row_holds_the_values_and_no_session_is_opened(database):
    unit = database.unit()
    try:
        with sqlalchemy_executions(database) as executed:
            templated = await send_email(
                Scope(unit),
                mailer=MAILER,
                context="auth",
                to=["Budi@Example.COM", "sari@example.com"],
                template_alias="welcome",
                template_model={"name": "Budi", "url": "https://shop.test/masuk"},
                lang="en",
                headers={"X-Kind": "sambutan"},
                dedupe_key="welcome:budi",
            )
            plain = await send_email(
                Scope(unit),
                mailer=MAILER,
                context="main",
                to="a@example.com",
                subject="S",
                text="t",
            )
            assert not unit.started  # no AsyncSession was made for the enqueue
        assert executed == []
        await unit.commit()
    finally:
        await unit.close()
    rows = {row.id: row for row in await outbox_rows(database)}
    assert set(rows) == {templated, plain}
    assert isinstance(templated, uuid.UUID)
    assert templated.version == 7
    row = rows[templated]
    assert (row.context, row.status, row.attempts, row.locale) == ("auth", "queued", 0, "en")
    assert row.to_addrs == ["Budi@example.com", "sari@example.com"]
    assert row.headers == {"X-Kind": "sambutan"}
    assert row.template_alias == "welcome"
    assert row.template_model == {"name": "Budi", "url": "https://shop.test/masuk"}
    assert row.subject == "Welcome, Budi"
    assert row.dedupe_key == "welcome:budi"
    assert row.message_id == f"<{templated}@shop.test>"
    assert row.next_attempt_at == row.created_at == row.updated_at
    assert row.created_at.tzinfo is not None
    assert (row.account, row.lease_until, row.last_error, row.sent_at) == (None, None, None, None)
    other = rows[plain]
    assert (other.subject, other.text, other.html, other.template_alias) == ("S", "t", None, None)
    assert (other.headers, other.template_model, other.dedupe_key) == (None, None, None)
    # As on the session path: a None given is JSON null, a column not given is SQL NULL.
    assert await _json_nulls(database, plain) == (False, True)


async def test_rolled_back_unit_queues_nothing(database):
    unit = database.unit()
    try:
        await send_email(
            Scope(unit), mailer=MAILER, context="main", to="a@example.com", subject="S", text="t"
        )
        assert not unit.started
        await unit.rollback()
    finally:
        await unit.close()
    assert await outbox_rows(database) == []


def _outbox_inserts(executed: list[str]) -> list[str]:
    return [s for s in executed if "INSERT INTO mail_outbox" in s]


@pytest.mark.parametrize("order", ["mail_first", "db_first"])
async def test_mail_and_session_write_commit_together(client, database, order):
    with sqlalchemy_executions(database) as executed:
        response = await client.post(
            "/api/shop/mail/and-shelf", json={"shelf": "A", "order": order}
        )
    assert response.status_code == 200, response.text
    assert _outbox_inserts(executed) == []  # on the driver, also when the session came first
    [row] = await outbox_rows(database)
    assert str(row.id) == response.json()["data"]["id"]
    assert row.text == "A"
    assert await _count(database, Shelf) == 1
    # The mail went in before any session only when it came first.
    [started] = shop_mail.SESSION_AFTER_MAIL
    assert started is (order == "db_first")


@pytest.mark.parametrize("order", ["mail_first", "db_first"])
async def test_mail_and_session_write_roll_back_together(client, database, order):
    with sqlalchemy_executions(database) as executed:
        response = await client.post(
            "/api/shop/mail/and-shelf", json={"shelf": "B", "order": order, "fail": True}
        )
    assert response.status_code == 409
    assert _outbox_inserts(executed) == []
    assert await outbox_rows(database) == []
    assert await _count(database, Shelf) == 0


async def test_session_write_failing_in_the_database_undoes_the_mail(client, database):
    await client.post("/api/shop/shelf/create", json={"name": "taken"})
    response = await client.post("/api/shop/mail/and-shelf", json={"shelf": "taken"})
    assert response.status_code == 409  # the unique shelf name, at the session's flush
    assert shop_mail.SESSION_AFTER_MAIL == [False]
    assert await outbox_rows(database) == []
    assert await _count(database, Shelf) == 1


@pytest.mark.parametrize("order", ["mail_first", "db_first"])
async def test_dedupe_returns_none_and_keeps_the_transaction_usable(client, database, order):
    with sqlalchemy_executions(database) as executed:
        first = await client.post(
            "/api/shop/mail/and-shelf", json={"shelf": "C1", "order": order, "dedupe_key": "k:1"}
        )
        again = await client.post(
            "/api/shop/mail/and-shelf", json={"shelf": "C2", "order": order, "dedupe_key": "k:1"}
        )
    assert first.status_code == again.status_code == 200, again.text
    assert _outbox_inserts(executed) == []
    assert first.json()["data"]["id"] is not None
    assert again.json()["data"]["id"] is None
    [row] = await outbox_rows(database)
    assert (str(row.id), row.text) == (first.json()["data"]["id"], "C1")
    assert await _count(database, Shelf) == 2  # the skipped insert did not abort the transaction


async def test_dedupe_twice_in_one_unit_writes_one_row(database):
    unit = database.unit()
    try:
        ids = [
            await send_email(
                Scope(unit),
                mailer=MAILER,
                context="main",
                to="a@example.com",
                subject="Bayar",
                text="t",
                dedupe_key="paid:9",
            )
            for _ in range(2)
        ]
        assert not unit.started
        await unit.commit()
    finally:
        await unit.close()
    assert ids[0] is not None
    assert ids[1] is None
    assert [row.id for row in await outbox_rows(database)] == [ids[0]]


async def test_unit_without_an_engine_queues_on_its_session(database):
    # A unit that may not take its own connection (as a sibling unit): the row goes on the
    # session's connection, in the session's transaction.
    with sqlalchemy_executions(database) as executed:
        for commit in (False, True):
            unit = UnitOfWork(database.sessionmaker)
            try:
                row_id = await send_email(
                    Scope(unit),
                    mailer=MAILER,
                    context="main",
                    to="a@example.com",
                    subject="S",
                    text="t",
                )
                assert unit.started
                unit.session.add(Shelf(name=f"s-{commit}"))
                await unit.session.flush()
                await (unit.commit() if commit else unit.rollback())
            finally:
                await unit.close()
    assert _outbox_inserts(executed) == []
    assert [row.id for row in await outbox_rows(database)] == [row_id]
    assert await _count(database, Shelf) == 1


async def test_create_with_mail_runs_two_inserts_and_nothing_else(client, database):
    await client.post("/api/shop/mail/shelves", json={"name": "warm"})  # compiles both shapes
    with sqlalchemy_executions(database) as executed:
        async with count_statements(database) as log:
            response = await client.post("/api/shop/mail/shelves", json={"name": "rak"})
    assert response.status_code == 201, response.text
    assert [s.split()[2] for s in log.statements] == ["shelf", "mail_outbox"]
    assert all(s.startswith("INSERT INTO") for s in log.statements)
    assert [s.split()[0].rstrip(";") for s in log.housekeeping] == ["BEGIN", "COMMIT"]
    assert executed == []  # neither insert went through a session
    assert shop_mail.SESSION_AFTER_MAIL == [False, False]
    assert [row.text for row in await outbox_rows(database)] == ["warm", "rak"]


@pytest.fixture
async def translated(
    backend: str, database: Database, tmp_path: Path
) -> AsyncIterator[tuple[Database, Database]]:
    """The same database twice: as is, and with its engine mapping the default schema elsewhere
    (``schema_translate_map``: an attached file on SQLite, a schema on PostgreSQL). Both hold an
    outbox table."""
    if backend == "sqlite":
        config = DatabaseConfig(url=sqlite_url(tmp_path))
        engine = create_engine(config)
        schema = "mail"

        def attach(dbapi_connection: Any, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"ATTACH DATABASE '{tmp_path / 'mail.sqlite3'}' AS mail")
            cursor.close()

        event.listen(engine.sync_engine, "connect", attach)
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: Outbox.__table__.create(sync))
        plain = Database(config, engine=engine)
    else:
        plain, engine, schema = database, database.engine, "m_" + uuid.uuid4().hex[:10]
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    mapped = engine.execution_options(schema_translate_map={None: schema})
    async with mapped.begin() as conn:
        await conn.run_sync(lambda sync: Outbox.__table__.create(sync))
    try:
        yield Database(plain.config, engine=mapped), plain
    finally:
        if backend == "sqlite":
            await engine.dispose()
        else:
            async with engine.begin() as conn:
                await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


async def test_rows_follow_the_engines_schema_translate_map(translated):
    mapped, plain = translated
    ids = []
    for session_first in (False, True):
        unit = mapped.unit()
        try:
            if session_first:  # the insert then runs on the session's connection
                await unit.session.connection()
            for _ in range(2):
                ids.append(
                    await send_email(
                        Scope(unit),
                        mailer=MAILER,
                        context="main",
                        to="a@example.com",
                        subject="S",
                        text="t",
                        dedupe_key=f"translated:{session_first}",
                    )
                )
            assert unit.started is session_first
            await unit.commit()
        finally:
            await unit.close()
    assert [ids[1], ids[3]] == [None, None]
    assert {row.id for row in await outbox_rows(mapped)} == {ids[0], ids[2]}
    assert await outbox_rows(plain) == []  # the table the unmapped name finds
