"""Book edits write their diff to the change log; submission (book_submit or book_update with
``status: "submitted"``) adds an approval row, notifies and emails every reviewer; all of it in
the request's one transaction."""

import uuid

import pytest
from sqlalchemy import func, select

from esensi.models.book import Book, BookApproval, BookChangesLog
from esensi.models.notif import Notif
from esensi.models.outbox import MailOutbox
from factories import login_as
from factories.writing import link, make_own_book, make_publisher, make_reviewer, make_writer
from rlib.testing.statements import count_statements

BASE = "/api/publish/book"


@pytest.fixture
async def world(database):
    async with database.sessionmaker() as db:
        writer = await make_writer(db, "Andrea Hirata")
        other = await make_writer(db, "Dee Lestari")
        reviewers = [
            await make_reviewer(db, "Bu Manajer", is_management=True),
            await make_reviewer(db, "Pak Support", is_support=True, locale="en"),
        ]
        await make_reviewer(db, "Orang IT", is_it=True)  # staff, but no reviewer
        books = {}
        for state in ("draft", "rejected", "submitted", "published"):
            books[state] = await make_own_book(db, writer, status=state, name=f"Buku {state}")
        books["foreign"] = await make_own_book(db, other, status="draft")
        await db.commit()
    return {"writer": writer, "other": other, "reviewers": reviewers, "books": books}


async def _count(database, model, *where) -> int:
    async with database.sessionmaker() as db:
        return int(await db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def _book(database, book_id) -> Book:
    async with database.sessionmaker() as db:
        found = await db.get(Book, book_id)
        assert found is not None
        return found


async def test_an_edit_logs_the_changed_fields_with_the_editor(client, auth, database, world):
    world["writer"].sign_in(auth)
    book = world["books"]["draft"]
    response = await client.patch(
        f"{BASE}/{book.id}",
        json={"name": "Laskar Pelangi", "submitted_price": "45000.50", "slug": book.slug},
    )
    assert response.status_code == 200, response.text
    async with database.sessionmaker() as db:
        (log,) = (await db.scalars(select(BookChangesLog))).all()
    assert log.id_book == book.id
    assert log.id_user == world["writer"].user.id
    assert log.changes == {
        "old": {"name": "Buku draft", "submitted_price": "0.00"},
        "new": {"name": "Laskar Pelangi", "submitted_price": "45000.50"},
    }  # the unchanged slug is not logged


async def test_an_edit_that_changes_nothing_logs_nothing(client, auth, database, world):
    world["writer"].sign_in(auth)
    book = world["books"]["rejected"]
    response = await client.post(f"{BASE}/update", json={"id": str(book.id), "name": book.name})
    assert response.status_code == 200, response.text
    assert await _count(database, BookChangesLog) == 0


async def test_a_stale_edit_writes_no_log(client, auth, database, world):
    world["writer"].sign_in(auth)
    book = world["books"]["draft"]
    response = await client.patch(
        f"{BASE}/{book.id}", json={"name": "Baru", "status": "submitted", "version": 99}
    )
    assert response.status_code == 409, response.text
    assert await _count(database, BookChangesLog) == 0
    assert await _count(database, BookApproval) == 0
    assert await _count(database, Notif) == 0
    assert await _count(database, MailOutbox) == 0
    assert (await _book(database, book.id)).status == "draft"


async def _assert_submitted(database, world, book_id, title):
    assert (await _book(database, book_id)).status == "submitted"
    async with database.sessionmaker() as db:
        (approval,) = (await db.scalars(select(BookApproval))).all()
        notes = (await db.scalars(select(Notif).order_by(Notif.id_user))).all()
        mails = (await db.scalars(select(MailOutbox))).all()
    assert (approval.id_book, approval.status, approval.id_internal) == (book_id, "submitted", None)
    reviewers = {user.id for user in world["reviewers"]}
    assert {note.id_user for note in notes} == reviewers
    manager, support = world["reviewers"]
    assert {(note.id_user, note.type, note.message) for note in notes} == {
        (manager.id, "book-submit", f"Buku baru menunggu review: {title}"),
        (support.id, "book-submit", f"New book awaiting review: {title}"),
    }
    assert sorted(mail.to_addrs[0] for mail in mails) == sorted(
        user.email for user in world["reviewers"]
    )
    for mail in mails:
        assert mail.template_alias == "book-submitted"
        assert mail.context == "main"
        assert mail.template_model["book"] == title
        assert mail.template_model["author"] == "Andrea Hirata"
        assert mail.template_model["review_url"].endswith(f"/book/{book_id}")
        assert mail.locale == ("en" if mail.to_addrs[0] == support.email else "id")


@pytest.mark.parametrize("state", ["draft", "rejected"])
async def test_book_submit_notifies_and_emails_every_reviewer(client, auth, database, world, state):
    world["writer"].sign_in(auth)
    book = world["books"][state]
    response = await client.post(f"{BASE}/submit", json={"id": str(book.id)})
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {
        "id": str(book.id),
        "status": "submitted",
        "version": book.version + 1,
    }
    await _assert_submitted(database, world, book.id, book.name)


async def test_update_with_status_submitted_edits_then_submits(client, auth, database, world):
    world["writer"].sign_in(auth)
    book = world["books"]["draft"]
    response = await client.post(
        f"{BASE}/update", json={"id": str(book.id), "name": "Sang Pemimpi", "status": "submitted"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["status"] == "submitted"
    assert response.json()["data"]["name"] == "Sang Pemimpi"
    await _assert_submitted(database, world, book.id, "Sang Pemimpi")
    async with database.sessionmaker() as db:
        (log,) = (await db.scalars(select(BookChangesLog))).all()
    assert log.changes == {"old": {"name": "Buku draft"}, "new": {"name": "Sang Pemimpi"}}


@pytest.mark.parametrize("status", ["draft", "published", "rejected", ""])
async def test_update_accepts_no_other_status(client, auth, database, world, status):
    world["writer"].sign_in(auth)
    book = world["books"]["draft"]
    response = await client.patch(f"{BASE}/{book.id}", json={"status": status, "name": "X"})
    assert response.status_code == 422, response.text
    assert (await _book(database, book.id)).name == book.name
    assert await _count(database, BookChangesLog) == 0


@pytest.mark.parametrize("state", ["submitted", "published"])
async def test_only_drafts_and_rejected_books_are_submitted(client, auth, database, world, state):
    world["writer"].sign_in(auth)
    book = world["books"][state]
    response = await client.post(f"{BASE}/submit", json={"id": str(book.id)})
    assert response.status_code == 409
    assert response.json()["message"] == "Status buku tidak valid untuk aksi ini"
    english = await client.post(
        f"{BASE}/submit", json={"id": str(book.id)}, headers={"Accept-Language": "en"}
    )
    assert english.json()["message"] == "The book's status does not allow this action"
    assert (await _book(database, book.id)).status == state
    assert await _count(database, BookApproval) == 0


async def test_a_published_book_tells_its_owner_why_it_is_read_only(client, auth, world):
    world["writer"].sign_in(auth)
    book = world["books"]["published"]
    response = await client.patch(f"{BASE}/{book.id}", json={"name": "Baru"})
    assert response.status_code == 409
    assert response.json()["code"] == "book_not_editable"
    assert "sudah terbit" in response.json()["message"]
    world["other"].sign_in(auth)
    assert (await client.patch(f"{BASE}/{book.id}", json={"name": "Baru"})).status_code == 404


async def test_nobody_else_submits_the_book(client, auth, database, world):
    book = world["books"]["draft"]
    async with database.sessionmaker() as db:
        invited = await make_publisher(db, "Penerbit Undangan")
        declined = await make_publisher(db, "Penerbit Tolak")
        await link(db, invited, world["writer"], "invited")
        await link(db, declined, world["writer"], "declined")
        await db.commit()
    for person in (world["other"], invited, declined):
        person.sign_in(auth)
        response = await client.post(f"{BASE}/submit", json={"id": str(book.id)})
        assert response.status_code == 404, person
        assert response.json()["message"] == "Buku tidak ditemukan"
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await client.post(f"{BASE}/submit", json={"id": str(book.id)})).status_code == 403
    login_as(auth, uuid.uuid4(), internal=uuid.uuid4())
    assert (await client.post(f"{BASE}/submit", json={"id": str(book.id)})).status_code == 403
    assert (await _book(database, book.id)).status == "draft"
    assert await _count(database, BookApproval) == 0


async def test_a_publisher_submits_a_book_of_its_active_author(client, auth, database, world):
    async with database.sessionmaker() as db:
        publisher = await make_publisher(db)
        await link(db, publisher, world["writer"], "active")
        await db.commit()
    publisher.sign_in(auth)
    book = world["books"]["draft"]
    response = await client.post(f"{BASE}/submit", json={"id": str(book.id)})
    assert response.status_code == 200, response.text
    await _assert_submitted(database, world, book.id, book.name)


@pytest.mark.parametrize(
    "field",
    [
        {"id_author": "01a24843-2c97-754c-89d6-620000000000"},
        {"id_product": "01a24843-2c97-754c-89d6-620000000000"},
        {"status": "published"},
        {"deleted_at": "2026-01-01T00:00:00Z"},
        {"created_at": "2026-01-01T00:00:00Z"},
        {"updated_at": "2026-01-01T00:00:00Z"},
        {"published_date": "2026-01-01T00:00:00Z"},
        {"cfg": {}},
    ],
)
async def test_server_owned_fields_in_an_edit_are_422(client, auth, database, world, field):
    world["writer"].sign_in(auth)
    book = world["books"]["draft"]
    response = await client.post(f"{BASE}/update", json={"id": str(book.id), "name": "X", **field})
    assert response.status_code == 422, (field, response.text)
    stored = await _book(database, book.id)
    assert (stored.name, stored.version) == (book.name, book.version)
    assert await _count(database, BookChangesLog) == 0


async def test_submission_statements_do_not_grow_with_reviewers(client, auth, database, world):
    world["writer"].sign_in(auth)
    counts = []
    for state, more in (("draft", 0), ("rejected", 12)):
        async with database.sessionmaker() as db:
            for n in range(more):
                await make_reviewer(db, f"Reviewer {n}", is_support=True)
            await db.commit()
        book = world["books"][state]
        async with count_statements(database) as log:
            response = await client.post(f"{BASE}/submit", json={"id": str(book.id)})
        assert response.status_code == 200, response.text
        counts.append(log.count)
    assert counts[0] == counts[1], counts
    assert await _count(database, MailOutbox) == 2 + 14
