"""Auth emails reach the outbox with esensi's templates (rlib.auth.mailer -> send_auth_email)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from esensi.models.outbox import MailOutbox
from esensi.services.auth_mail import TEMPLATES, OutboxAuthMailer
from rlib.auth import mailer as auth_mail
from rlib.scope import Scope

RLIB_EMAILS = sorted(auth_mail.TEMPLATE_NAMES)
CONTEXT = {
    "name": "Sari",
    "url": "https://auth.esensi.online/x?token=abc",
    "otp": "123456",
    "new_email": "baru@contoh.id",
    "time": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC).isoformat(),
    "ip": "10.0.0.1",
}


def test_every_email_rlib_sends_has_a_template():
    assert set(RLIB_EMAILS) == set(TEMPLATES)


@pytest.mark.parametrize("name", RLIB_EMAILS)
@pytest.mark.parametrize("lang", ["id", "en"])
async def test_each_auth_email_is_queued_in_the_auth_context(database, name, lang):
    mailer = OutboxAuthMailer({"auth": "https://auth.esensi.online"})
    unit = database.unit()
    try:
        await mailer(Scope(unit), auth_mail.AuthEmail(name, "sari@contoh.id", CONTEXT, lang))
        row = (await unit.session.scalars(select(MailOutbox))).one()
        assert (row.context, row.template_alias, row.locale) == ("auth", TEMPLATES[name][0], lang)
        assert row.to_addrs == ["sari@contoh.id"]
        assert row.subject
    finally:
        await unit.rollback()
        await unit.close()


async def test_sign_up_queues_the_verification_mail_and_a_refused_one_queues_nothing(
    client, database
):
    body = {"name": "Sari", "email": "sari@contoh.id", "password": "rahasia-sekali-1"}
    assert (await client.post("/api/auth/sign-up/email", json=body)).status_code == 200
    refused = {**body, "email": "lain@contoh.id", "password": "password1"}
    assert (await client.post("/api/auth/sign-up/email", json=refused)).status_code == 400
    async with database.sessionmaker() as db:
        rows = (await db.scalars(select(MailOutbox))).all()
    assert [(r.template_alias, r.to_addrs) for r in rows] == [
        ("email-verification", ["sari@contoh.id"])
    ]
    assert "/api/auth/verify-email?token=" in rows[0].template_model["url"]
