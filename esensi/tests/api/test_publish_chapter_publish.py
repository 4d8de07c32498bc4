"""chapter_publish: draft → published in a published chapter-book; the author's followers get a
``chapter-new`` notification and a ``new-chapter`` email each; all or nothing."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from esensi.models.chapter import Chapter
from esensi.models.notif import Notif
from esensi.models.outbox import MailOutbox
from factories import make_user
from factories.writing import (
    follow,
    link,
    make_chapter,
    make_own_book,
    make_publisher,
    make_writer,
)
from rlib.testing.statements import count_statements

URL = "/api/publish/chapter/publish"


@pytest.fixture
async def world(database):
    async with database.sessionmaker() as db:
        writer = await make_writer(db, "Andrea Hirata")
        other = await make_writer(db, "Dee Lestari")
        book = await make_own_book(db, writer, name="Laskar Pelangi", slug="laskar-pelangi")
        draft_book = await make_own_book(db, writer, status="draft")
        drafts = [await make_chapter(db, book, n, name=f"Bab {n}: Awal") for n in (1, 2)]
        live = await make_chapter(db, book, 3, status="published")
        unpublished_book_chapter = await make_chapter(db, draft_book, 1)
        foreign = await make_chapter(db, await make_own_book(db, other), 1)
        readers = [
            await make_user(db, name="Pembaca Satu"),
            await make_user(db, name="Reader Two", locale="en"),
        ]
        gone = await make_user(db, deleted_at=dt.datetime.now(dt.UTC))
        stranger = await make_user(db)
        for reader in (*readers, gone):
            await follow(db, reader, writer)
        await follow(db, stranger, other)
        await db.commit()
    return {
        "writer": writer,
        "drafts": drafts,
        "live": live,
        "unpublished_book_chapter": unpublished_book_chapter,
        "foreign": foreign,
        "readers": readers,
        "gone": gone,
        "stranger": stranger,
    }


async def _statuses(database) -> dict:
    async with database.sessionmaker() as db:
        rows = await db.execute(select(Chapter.id, Chapter.status, Chapter.version))
    return {row.id: (row.status, row.version) for row in rows}


async def _count(database, model) -> int:
    async with database.sessionmaker() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_publishing_tells_every_live_follower(client, auth, database, world):
    world["writer"].sign_in(auth)
    ids = [str(chapter.id) for chapter in world["drafts"]]
    response = await client.post(URL, json={"ids": ids})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert [(row["number"], row["status"], row["version"]) for row in data] == [
        (1, "published", 2),
        (2, "published", 2),
    ]
    assert all(row["published_at"] for row in data)
    async with database.sessionmaker() as db:
        notes = (await db.scalars(select(Notif).order_by(Notif.id))).all()
        mails = (await db.scalars(select(MailOutbox))).all()
    readers = {reader.id for reader in world["readers"]}
    assert {note.id_user for note in notes} == readers
    assert len(notes) == 4
    assert {note.type for note in notes} == {"chapter-new"}
    indonesian, english = (reader.id for reader in world["readers"])
    assert {note.message for note in notes if note.id_user == indonesian} == {
        "Bab baru Laskar Pelangi: Bab 1: Awal",
        "Bab baru Laskar Pelangi: Bab 2: Awal",
    }
    assert {note.message for note in notes if note.id_user == english} == {
        "New chapter of Laskar Pelangi: Bab 1: Awal",
        "New chapter of Laskar Pelangi: Bab 2: Awal",
    }
    assert any(note.url.endswith("/chapter/laskar-pelangi/1/bab-1-awal") for note in notes)
    assert len(mails) == 4
    assert {mail.context for mail in mails} == {"chapter"}
    assert {mail.template_alias for mail in mails} == {"new-chapter"}
    assert {mail.to_addrs[0] for mail in mails} == {r.email for r in world["readers"]}
    assert {mail.dedupe_key for mail in mails} == {
        f"new-chapter:{chapter.id}:{reader.id}"
        for chapter in world["drafts"]
        for reader in world["readers"]
    }
    assert {mail.template_model["author"] for mail in mails} == {"Andrea Hirata"}
    email_of = {reader.email: reader.locale for reader in world["readers"]}
    assert all(mail.locale == email_of[mail.to_addrs[0]] for mail in mails)


@pytest.mark.parametrize(
    ("which", "status", "code"),
    [
        ("live", 409, "chapter_published"),
        ("unpublished_book_chapter", 409, "book_not_published"),
        ("foreign", 404, "not_found"),
    ],
)
async def test_nothing_is_published_when_one_chapter_cannot_be(
    client, auth, database, world, which, status, code
):
    world["writer"].sign_in(auth)
    before = await _statuses(database)
    ids = [str(world["drafts"][0].id), str(world[which].id)]
    response = await client.post(URL, json={"ids": ids})
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert await _statuses(database) == before
    assert await _count(database, Notif) == 0
    assert await _count(database, MailOutbox) == 0


async def test_the_already_published_chapter_is_named(client, auth, world):
    world["writer"].sign_in(auth)
    response = await client.post(URL, json={"ids": [str(world["live"].id)]})
    assert response.json()["message"] == "Bab 3 sudah terbit"


async def test_an_active_publisher_publishes_an_invited_one_cannot(client, auth, database, world):
    async with database.sessionmaker() as db:
        active = await make_publisher(db, "Aktif")
        invited = await make_publisher(db, "Diundang")
        await link(db, active, world["writer"], "active")
        await link(db, invited, world["writer"], "invited")
        await db.commit()
    body = {"ids": [str(world["drafts"][0].id)]}
    invited.sign_in(auth)
    assert (await client.post(URL, json=body)).status_code == 404
    active.sign_in(auth)
    response = await client.post(URL, json=body)
    assert response.status_code == 200, response.text


async def test_statements_do_not_grow_with_followers(client, auth, database, world):
    world["writer"].sign_in(auth)
    counts = []
    for chapter, more in zip(world["drafts"], (0, 20), strict=True):
        async with database.sessionmaker() as db:
            for _ in range(more):
                await follow(db, await make_user(db), world["writer"])
            await db.commit()
        async with count_statements(database) as log:
            response = await client.post(URL, json={"ids": [str(chapter.id)]})
        assert response.status_code == 200, response.text
        counts.append(log.count)
    assert counts[0] == counts[1], counts
    assert await _count(database, MailOutbox) == 2 + 22
