"""Through HTTP alone: an author writes a chapter-book, submits it, and the reviewers see it in
their notifications; the reviewers' emails are queued."""

import uuid

import pytest
from sqlalchemy import select

from esensi.models.outbox import MailOutbox
from factories import login_as
from factories.writing import make_reviewer, make_writer

P = "/api/publish"


@pytest.fixture
async def people(database):
    async with database.sessionmaker() as db:
        writer = await make_writer(db, "Andrea Hirata")
        reviewer = await make_reviewer(db, "Rina Wulandari", is_management=True)
        await db.commit()
    return writer, reviewer


async def test_write_submit_and_reviewers_are_told(client, auth, database, people):
    writer, reviewer = people
    writer.sign_in(auth)
    created = await client.post(
        f"{P}/book/create",
        json={"name": "Senja di Pelabuhan", "slug": "senja-di-pelabuhan", "is_chapter": True},
    )
    assert created.status_code == 201, created.text
    book = created.json()["data"]["id"]
    chapters = await client.post(
        f"{P}/chapter/creates",
        json={
            "id_book": book,
            "chapters": [
                {
                    "name": "Kapal Terakhir",
                    "content": {"blocks": [{"type": "paragraph", "data": {"text": "Angin."}}]},
                },
                {"name": "Dermaga", "is_free": True},
            ],
        },
    )
    assert chapters.status_code == 201, chapters.text
    edited = await client.patch(f"{P}/book/{book}", json={"desc": "Kisah pelaut."})
    assert edited.status_code == 200, edited.text
    submitted = await client.post(f"{P}/book/submit", json={"id": book})
    assert submitted.status_code == 200, submitted.text
    detail = (await client.get(f"{P}/book/{book}")).json()["data"]
    assert detail["status"] == "submitted"
    assert [c["name"] for c in detail["chapters"]] == ["Kapal Terakhir", "Dermaga"]
    assert [a["status"] for a in detail["approvals"]] == ["submitted"]
    assert detail["changes"][0]["changes"]["new"] == {"desc": "Kisah pelaut."}

    login_as(auth, reviewer.id, internal=uuid.uuid4())
    notes = await client.post("/api/notif/list", json={})
    assert notes.status_code == 200, notes.text
    (note,) = notes.json()["data"]
    assert note["type"] == "book-submit"
    assert note["message"] == "Buku baru menunggu review: Senja di Pelabuhan"
    async with database.sessionmaker() as db:
        (mail,) = (await db.scalars(select(MailOutbox))).all()
    assert mail.to_addrs == [reviewer.email]
    assert mail.template_alias == "book-submitted"
