"""send_email_batch: one templated email per recipient, one multi-row insert, dedupe per row."""

import pytest

from fixture_apps.shop.mail import MAILER, send_main_email
from mail_helpers import outbox_rows
from rlib import Scope, ValidationError
from rlib.mail import BatchEmail
from rlib.testing.statements import count_statements

URL = "https://shop.test/masuk"


def _message(name: str, *, lang: str = "id", key: str | None = None) -> BatchEmail:
    return BatchEmail(
        to=f"{name.lower()}@example.com",
        template_model={"name": name, "url": URL},
        lang=lang,  # type: ignore[arg-type]
        dedupe_key=key,
    )


async def _batch(database, messages) -> list:
    unit = database.unit()
    try:
        ids = await send_main_email.batch(Scope(unit), template_alias="welcome", messages=messages)
        await unit.commit()
    finally:
        await unit.close()
    return ids


async def test_each_recipient_gets_a_message_in_its_language_from_one_insert(database):
    messages = [_message("Sari", key="w:sari"), _message("Budi"), _message("Ann", lang="en")]
    async with count_statements(database) as log:
        ids = await _batch(database, messages)
    assert len(ids) == 3
    inserts = [s for s in log.statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1, log.statements
    rows = {row.to_addrs[0]: row for row in await outbox_rows(database)}
    assert set(rows) == {"sari@example.com", "budi@example.com", "ann@example.com"}
    assert rows["sari@example.com"].subject == "Selamat datang, Sari"
    assert rows["ann@example.com"].subject == "Welcome, Ann"
    assert rows["ann@example.com"].locale == "en"
    assert rows["sari@example.com"].dedupe_key == "w:sari"
    assert {row.status for row in rows.values()} == {"queued"}
    assert {row.context for row in rows.values()} == {"main"}
    assert all(row.message_id == f"<{row.id}@shop.test>" for row in rows.values())


async def test_a_dedupe_key_queued_before_is_skipped(database):
    await _batch(database, [_message("Sari", key="w:sari")])
    ids = await _batch(database, [_message("Sari", key="w:sari"), _message("Dewi", key="w:dewi")])
    assert len(ids) == 1
    assert sorted(row.to_addrs[0] for row in await outbox_rows(database)) == [
        "dewi@example.com",
        "sari@example.com",
    ]


async def test_a_bad_address_or_model_queues_nothing(database):
    bad = BatchEmail(to="bukan email", template_model={"name": "X", "url": URL})
    with pytest.raises(ValidationError) as caught:
        await _batch(database, [_message("Sari"), bad])
    assert caught.value.errors[0].loc == ("messages", 1, "to", 0)
    with pytest.raises(ValidationError):
        await _batch(database, [BatchEmail(to="a@example.com", template_model={"name": "X"})])
    assert await outbox_rows(database) == []


async def test_an_empty_batch_queues_nothing(database):
    assert await _batch(database, []) == []
    assert MAILER.templates is not None
