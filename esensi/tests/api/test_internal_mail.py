"""Staff see the outbox, re-send failed mail and preview templates; others are refused."""

import uuid

import pytest
from sqlalchemy import update

from esensi.emails import send_main_email
from esensi.models.outbox import MailOutbox
from factories import login_staff
from rlib import Scope


@pytest.fixture
def staff(auth):
    return login_staff(auth, "it")


async def _queue(database, *, status="queued"):
    unit = database.unit()
    try:
        row_id = await send_main_email(
            Scope(unit), to="pembaca@contoh.id", subject="Halo", text="Isi"
        )
        await unit.session.execute(
            update(MailOutbox)
            .where(MailOutbox.id == row_id)
            .values(status=status, attempts=3, last_error="550 no such user")
        )
        await unit.commit()
    finally:
        await unit.close()
    return row_id


async def test_anonymous_is_401(client):
    assert (await client.get("/api/internal/mail/list")).status_code == 401
    assert (await client.get("/api/internal/mail/preview?template=welcome")).status_code == 401


@pytest.mark.usefixtures("staff")
async def test_list_shows_status_attempts_and_last_error(client, database):
    await _queue(database)
    failed_id = await _queue(database, status="failed")
    body = (await client.get("/api/internal/mail/list", params={"status": "failed"})).json()
    assert body["pagination"]["total"] == 1
    [item] = body["data"]
    assert item["id"] == str(failed_id)
    assert (item["status"], item["attempts"], item["last_error"]) == (
        "failed",
        3,
        "550 no such user",
    )
    assert "text" not in item
    assert "html" not in item
    everything = (await client.get("/api/internal/mail/list")).json()
    assert everything["pagination"]["total"] == 2


@pytest.mark.usefixtures("staff")
async def test_retry_requeues_a_failed_message_only(client, database):
    failed_id = await _queue(database, status="failed")
    retried = await client.post("/api/internal/mail/retry", json={"id": str(failed_id)})
    assert retried.status_code == 200
    assert (retried.json()["data"]["status"], retried.json()["data"]["attempts"]) == ("queued", 0)
    again = await client.post("/api/internal/mail/retry", json={"id": str(failed_id)})
    assert again.status_code == 409
    assert again.json()["code"] == "mail_not_failed"
    missing = await client.post("/api/internal/mail/retry", json={"id": str(uuid.uuid4())})
    assert missing.status_code == 404
    assert missing.json()["message"] == "Email tidak ditemukan"


@pytest.mark.usefixtures("staff")
async def test_preview_renders_a_template_with_sample_data(client):
    body = (
        await client.get("/api/internal/mail/preview", params={"template": "payment-success"})
    ).json()["data"]
    assert body["subject"] == "Pembayaran pesanan ES-20261125-0001 berhasil"
    assert "Rp 170.000" in body["text"]
    english = await client.get(
        "/api/internal/mail/preview", params={"template": "payment-success", "lang": "en"}
    )
    assert english.json()["data"]["subject"] == "Payment for order ES-20261125-0001 received"
    unknown = await client.get("/api/internal/mail/preview", params={"template": "nope"})
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "Template email nope tidak ditemukan"


@pytest.mark.parametrize(
    ("roles", "status"),
    [(("management",), 200), (("it",), 200), (("support", "sales_and_marketing"), 403), ((), 403)],
)
async def test_only_it_and_management_reach_the_outbox(client, auth, roles, status):
    login_staff(auth, *roles)
    assert (await client.get("/api/internal/mail/list")).status_code == status
    preview = {"template": "payment-success"}
    assert (await client.get("/api/internal/mail/preview", params=preview)).status_code == status
    retried = await client.post("/api/internal/mail/retry", json={"id": str(uuid.uuid4())})
    assert retried.status_code == (404 if status == 200 else 403)  # found nothing vs refused
