"""esensi's mail templates and senders: every template renders in both languages."""

import pytest
from sqlalchemy import select

from esensi.emails import (
    MODELS,
    TEMPLATES,
    ResetPassword,
    mailer,
    send_auth_email,
    send_chapter_email,
    send_main_email,
    templates,
)
from esensi.models.outbox import MailOutbox
from rlib import Scope, ValidationError


def test_every_template_folder_has_a_model_and_a_sample():
    folders = {path.name for path in TEMPLATES.iterdir() if not path.name.startswith("_")}
    assert folders == set(MODELS)
    for alias in MODELS:
        for part in ("subject.txt", "body.html", "body.txt", "sample.json"):
            assert (TEMPLATES / alias / part).is_file(), (alias, part)


@pytest.mark.parametrize("alias", sorted(MODELS))
def test_template_renders_in_indonesian_and_english(alias):
    indonesian = templates.preview(alias, "id")
    english = templates.preview(alias, "en")
    for rendered in (indonesian, english):
        assert rendered.subject
        assert "\n" not in rendered.subject
        assert "PT. Meraih Ilmu Semesta" in rendered.html
        assert "PT. Meraih Ilmu Semesta" in rendered.text
    assert indonesian.subject != english.subject
    assert indonesian.text != english.text
    assert '<html lang="id">' in indonesian.html
    assert '<html lang="en">' in english.html


def test_html_escapes_model_values_and_text_keeps_them():
    model = {"name": "<b>Budi</b>", "url": "https://x.id/r?a=1&b=2", "expires_minutes": 60}
    rendered = templates.render("reset-password", templates.validate("reset-password", model))
    assert "&lt;b&gt;Budi&lt;/b&gt;" in rendered.html
    assert "a=1&amp;b=2" in rendered.html
    assert "Halo <b>Budi</b>," in rendered.text


def test_money_is_shown_in_rupiah():
    assert "Rp 1.500.000" in templates.preview("withdrawal-paid").subject


@pytest.mark.parametrize(
    ("sender", "context"),
    [(send_main_email, "main"), (send_chapter_email, "chapter"), (send_auth_email, "auth")],
)
async def test_senders_queue_in_their_context(database, sender, context):
    unit = database.unit()
    try:
        await sender(
            Scope(unit),
            to="pembaca@contoh.id",
            template_alias="reset-password",
            template_model=ResetPassword(name="Sari", url="https://auth.esensi.online/r?t=1"),
        )
        row = (await unit.session.scalars(select(MailOutbox))).one()
        assert (row.context, row.status, row.template_alias) == (
            context,
            "queued",
            "reset-password",
        )
        assert row.subject == "Reset Password Esensi Online"
        assert row.message_id == f"<{row.id}@esensi.online>"
    finally:
        await unit.rollback()
        await unit.close()


async def test_template_model_missing_a_field_is_refused_at_the_call(database):
    unit = database.unit()
    try:
        with pytest.raises(ValidationError) as caught:
            await send_auth_email(
                Scope(unit),
                to="pembaca@contoh.id",
                template_alias="otp-code",
                template_model={"name": "Sari", "url": "https://auth.esensi.online/otp"},
            )
        assert [error.loc for error in caught.value.errors] == [("template_model", "otp")]
        assert (await unit.session.scalars(select(MailOutbox))).all() == []
    finally:
        await unit.rollback()
        await unit.close()


def test_mailer_uses_the_esensi_outbox_table():
    assert mailer.outbox is MailOutbox
    assert MailOutbox.__table__.name == "mail_outbox"
