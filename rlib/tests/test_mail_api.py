"""send_email: validated input, a row in the caller's transaction, rendering in both languages."""

import pytest

from fixture_apps.shop.mail import MAILER
from mail_helpers import outbox_rows
from rlib import Scope, ValidationError
from rlib.mail import UnknownTemplateError, api
from rlib.mail.api import send_email


async def test_queued_row_holds_the_rendered_message(client, database):
    response = await client.post("/api/shop/mail/send", json={"to": ["Budi@Example.COM"]})
    assert response.status_code == 200
    [row] = await outbox_rows(database)
    assert (row.context, row.status, row.attempts) == ("main", "queued", 0)
    assert row.to_addrs == ["Budi@example.com"]
    assert (row.subject, row.html, row.text) == ("Halo", "<p>Halo</p>", "Halo")
    assert row.message_id == f"<{row.id}@shop.test>"


async def test_rollback_queues_nothing(client, database):
    response = await client.post(
        "/api/shop/mail/send", json={"to": ["a@example.com"], "fail": True}
    )
    assert response.status_code == 409
    assert await outbox_rows(database) == []


async def test_bad_address_is_422_and_queues_nothing(client, database):
    response = await client.post(
        "/api/shop/mail/send", json={"to": ["ok@example.com", "bukan email"]}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "to.1"
    assert body["errors"][0]["message"] == "Alamat email tidak valid"
    assert await outbox_rows(database) == []


async def test_template_is_rendered_in_indonesian_by_default(client, database):
    await client.post("/api/shop/mail/send", json={"to": ["a@example.com"], "name": "<Sari>"})
    [row] = await outbox_rows(database)
    assert row.subject == "Selamat datang, <Sari>"  # one line; text parts are not escaped
    assert "Halo &lt;Sari&gt;, selamat datang" in row.html  # HTML is autoescaped
    assert '<html lang="id">' in row.html
    assert row.text.startswith("Halo <Sari>, selamat datang")
    assert (row.template_alias, row.locale) == ("welcome", "id")
    assert row.template_model == {"name": "<Sari>", "url": "https://shop.test/masuk"}


async def test_template_english_variant_falls_back_per_part(client, database):
    payload = {"to": ["a@example.com"], "name": "Sari", "lang": "en"}
    await client.post("/api/shop/mail/send", json=payload)
    [row] = await outbox_rows(database)
    assert row.subject == "Welcome, Sari"
    assert row.text.startswith("Hello Sari, welcome to the shop.")
    # No English body.html exists: the Indonesian one is used, with the language set.
    assert "selamat datang di toko" in row.html
    assert '<html lang="en">' in row.html
    assert row.locale == "en"


async def test_missing_template_field_fails_at_the_call(database):
    unit = database.unit()
    try:
        with pytest.raises(ValidationError) as caught:
            await send_email(
                Scope(unit),
                mailer=MAILER,
                context="main",
                to="a@example.com",
                template_alias="welcome",
                template_model={"name": "Sari"},
            )
        assert caught.value.errors[0].loc == ("template_model", "url")
        with pytest.raises(UnknownTemplateError):
            await send_email(
                Scope(unit),
                mailer=MAILER,
                context="main",
                to="a@example.com",
                template_alias="nope",
                template_model={},
            )
    finally:
        await unit.rollback()
        await unit.close()


async def test_message_without_content_is_refused(database):
    unit = database.unit()
    try:
        with pytest.raises(ValidationError):
            await send_email(
                Scope(unit), mailer=MAILER, context="main", to="a@example.com", subject="kosong"
            )
    finally:
        await unit.close()


async def test_commit_wakes_subscribed_workers_and_rollback_does_not(client):
    import asyncio

    bell = asyncio.Event()
    MAILER.subscribe(bell)
    try:
        await client.post("/api/shop/mail/send", json={"to": ["a@example.com"], "fail": True})
        assert not bell.is_set()
        await client.post("/api/shop/mail/send", json={"to": ["a@example.com"]})
        assert bell.is_set()
    finally:
        MAILER.unsubscribe(bell)


def test_each_address_is_validated_once_and_bad_ones_still_fail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = api.validate_email

    def counting(address: str, **kwargs: object) -> object:
        calls.append(address)
        return real(address, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "validate_email", counting)
    api._normalise_one.cache_clear()
    for _ in range(3):
        assert api.normalise_addresses(["Ana@Contoh.CO.ID", "budi@contoh.co.id"]) == [
            "Ana@contoh.co.id",
            "budi@contoh.co.id",
        ]
    assert calls == ["Ana@Contoh.CO.ID", "budi@contoh.co.id"]  # cached after the first time
    for _ in range(2):
        with pytest.raises(ValidationError) as raised:
            api.normalise_addresses(["budi@contoh.co.id", "not an address", 7])  # type: ignore[list-item]
        assert [e.loc for e in raised.value.errors] == [("to", 1), ("to", 2)]
