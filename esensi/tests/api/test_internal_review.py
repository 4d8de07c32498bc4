"""book_approval_create: a reviewer publishes, rejects or sends back a submitted book, in one
transaction, from the stored book only; deciding twice is a 409."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest
from review_helpers import sign_in_staff, submit_book
from sqlalchemy import select

from esensi.models.audit import AuditLog
from esensi.models.book import Book, BookApproval
from esensi.models.notif import Notif
from esensi.models.outbox import MailOutbox
from esensi.models.product import Product, ProductCategory
from esensi.models.taxonomy import Category
from rlib.testing.statements import count_statements

URL = "/api/internal/book-approval/create"


async def _decide(client, book_id, status, **more):
    return await client.post(URL, json={"id_book": str(book_id), "status": status, **more})


async def _rows(database, model, *where):
    async with database.sessionmaker() as db:
        return list(await db.scalars(select(model).where(*where)))


async def _genre_listing(client, slug):
    body = (await client.get(f"/chapter/genre/{slug}/1")).json()
    return [item["slug"] for item in body["data"]]


async def test_publish_makes_the_product_from_the_stored_book(client, auth, database):
    sub = await submit_book(database)
    staff = await sign_in_staff(database, auth, "support")
    [stored] = await _rows(database, Book, Book.id == sub.book_id)
    assert stored.slug not in await _genre_listing(client, sub.genre_slug)
    tampered = {"name": "Palsu", "slug": "palsu", "submitted_price": "1", "real_price": "1"}
    response = await _decide(client, sub.book_id, "published", book=tampered)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["status"], data["product_status"]) == ("published", "published")
    assert data["version"] == stored.version + 1
    assert data["approval"]["status"] == "published"
    assert data["approval"]["id_internal"] == str(staff.profiles["internal"])
    [product] = await _rows(database, Product)
    assert str(product.id) == data["id_product"]
    assert (product.name, product.slug, product.sku, product.desc) == (
        stored.name,
        stored.slug,
        stored.sku,
        stored.desc,
    )
    assert product.real_price == Decimal("45000")
    assert (product.id_author, product.is_chapter) == (sub.author_id, True)
    [book] = await _rows(database, Book, Book.id == sub.book_id)
    assert (book.status, str(book.id_product)) == ("published", data["id_product"])
    assert book.published_date is not None
    # The author hears of it in the app and by email; the decision is audited.
    [notif] = await _rows(database, Notif, Notif.id_user == sub.author_user_id)
    assert notif.type == "book-approve"
    assert notif.message == f"Buku {stored.name} telah disetujui dan terbit"
    [mail] = await _rows(database, MailOutbox, MailOutbox.template_alias == "book-approved")
    assert mail.to_addrs == [sub.author_email]
    assert mail.status == "queued"
    [trail] = await _rows(database, AuditLog, AuditLog.entity_id == str(sub.book_id))
    assert (trail.action, trail.id_user) == ("book.approve", staff.id)
    assert trail.before == {"status": "submitted"}
    assert trail.request_id
    assert trail.ip
    assert trail.after is not None
    assert trail.after["status"] == "published"
    # Now the published book is in the chapter site's data.
    assert stored.slug in await _genre_listing(client, sub.genre_slug)


@pytest.mark.parametrize("field", ["real_price", "submitted_price", "name", "id_product"])
async def test_server_owned_fields_are_422_and_nothing_changes(client, auth, database, field):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "management")
    response = await _decide(client, sub.book_id, "published", **{field: "1"})
    assert response.status_code == 422
    [book] = await _rows(database, Book, Book.id == sub.book_id)
    assert (book.status, book.id_product) == ("submitted", None)
    assert await _rows(database, Product) == []


async def test_deciding_twice_is_409_and_keeps_the_first_decision(client, auth, database):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "support")
    assert (await _decide(client, sub.book_id, "published")).status_code == 200
    again = await _decide(client, sub.book_id, "rejected", comment="Terlambat")
    assert again.status_code == 409
    assert again.json()["message"] == "Status buku tidak valid untuk aksi ini"
    decided = await _rows(database, BookApproval, BookApproval.id_internal.is_not(None))
    assert [row.status for row in decided] == ["published"]
    assert len(await _rows(database, Notif)) == 1
    assert len(await _rows(database, AuditLog)) == 1


@pytest.mark.parametrize("status", ["draft", "published", "rejected"])
async def test_only_a_submitted_book_can_be_decided(client, auth, database, status):
    sub = await submit_book(database, status=status)
    await sign_in_staff(database, auth, "management")
    response = await _decide(client, sub.book_id, "published")
    assert response.status_code == 409
    assert await _rows(database, Product) == []


async def test_unknown_or_deleted_book_is_404(client, auth, database):
    sub = await submit_book(database, deleted_at=dt.datetime.now(dt.UTC))
    await sign_in_staff(database, auth, "support")
    for book_id in (sub.book_id, "6f0e3c9e-0000-4000-8000-000000000000"):
        response = await _decide(client, book_id, "published")
        assert response.status_code == 404
        assert response.json()["message"] == "Buku tidak ditemukan"


@pytest.mark.parametrize("status", ["rejected", "revise"])
async def test_reject_and_revise_need_a_comment(client, auth, database, status):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "support")
    for comment in (None, "   "):
        response = await client.post(
            URL,
            json={"id_book": str(sub.book_id), "status": status, "comment": comment},
            headers={"Accept-Language": "en"},
        )
        assert response.status_code == 422
        assert "comment" in response.text
    [book] = await _rows(database, Book, Book.id == sub.book_id)
    assert book.status == "submitted"


@pytest.mark.parametrize(
    ("status", "book_status", "kind", "template", "text"),
    [
        ("rejected", "rejected", "book-reject", "book-rejected", "ditolak"),
        ("revise", "draft", "book-revise", "book-revision", "perlu revisi"),
    ],
)
async def test_reject_and_revise_tell_the_author_why(
    client, auth, database, status, book_status, kind, template, text
):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "support")
    response = await _decide(client, sub.book_id, status, comment="Sampul buram")
    assert response.status_code == 200, response.text
    assert response.json()["data"]["status"] == book_status
    assert response.json()["data"]["id_product"] is None
    [notif] = await _rows(database, Notif, Notif.id_user == sub.author_user_id)
    assert notif.type == kind
    assert text in notif.message
    assert "Sampul buram" in notif.message
    [mail] = await _rows(database, MailOutbox, MailOutbox.template_alias == template)
    assert mail.to_addrs == [sub.author_email]
    assert "Sampul buram" in (mail.text or "")
    assert await _rows(database, Product) == []


async def test_english_author_gets_english_texts(client, auth, database):
    sub = await submit_book(database, locale="en")
    await sign_in_staff(database, auth, "support")
    assert (await _decide(client, sub.book_id, "revise", comment="Typo")).status_code == 200
    [notif] = await _rows(database, Notif)
    assert notif.message.endswith("needs revision: Typo")
    [mail] = await _rows(database, MailOutbox)
    assert mail.locale == "en"


async def test_reapproval_updates_the_existing_product_and_links_categories(client, auth, database):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "management")
    async with database.sessionmaker() as db:
        category = Category(name="Fiksi", slug="fiksi")
        db.add(category)
        await db.commit()
    first = (await _decide(client, sub.book_id, "published")).json()["data"]
    async with database.sessionmaker() as db:
        book = await db.get(Book, sub.book_id)
        assert book is not None
        book.status, book.submitted_price, book.name = "submitted", Decimal("60000"), "Edisi 2"
        await db.commit()
    again = await _decide(client, sub.book_id, "published", category_ids=[str(category.id)])
    assert again.status_code == 200, again.text
    assert again.json()["data"]["id_product"] == first["id_product"]
    [product] = await _rows(database, Product)
    assert (product.name, product.real_price) == ("Edisi 2", Decimal("60000"))
    links = await _rows(database, ProductCategory)
    assert [link.id_category for link in links] == [category.id]


async def test_unknown_category_is_422_and_nothing_changes(client, auth, database):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "management")
    response = await _decide(
        client, sub.book_id, "published", category_ids=["6f0e3c9e-0000-4000-8000-000000000000"]
    )
    assert response.status_code == 422
    assert await _rows(database, Product) == []
    [book] = await _rows(database, Book, Book.id == sub.book_id)
    assert book.status == "submitted"


async def test_slug_clash_with_another_product_is_409(client, auth, database):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "management")
    [book] = await _rows(database, Book, Book.id == sub.book_id)
    async with database.sessionmaker() as db:
        db.add(Product(name="Lain", slug=book.slug, id_author=sub.author_id, real_price=Decimal(1)))
        await db.commit()
    response = await _decide(client, sub.book_id, "published")
    assert response.status_code == 409
    [book] = await _rows(database, Book, Book.id == sub.book_id)
    assert book.status == "submitted"
    assert await _rows(database, BookApproval, BookApproval.status == "published") == []


@pytest.mark.parametrize("roles", [("it",), ("sales_and_marketing",)])
async def test_other_staff_are_403(client, auth, database, roles):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, *roles)
    assert (await _decide(client, sub.book_id, "published")).status_code == 403
    [book] = await _rows(database, Book, Book.id == sub.book_id)
    assert book.status == "submitted"


async def test_anonymous_is_401(client, database):
    sub = await submit_book(database)
    assert (await _decide(client, sub.book_id, "published")).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"status": "revise", "comment": "nul \u0000 here"},
        {"status": 7},
        {"status": "published", "category_ids": "fiksi"},
        {"status": "published", "comment": ["a"]},
        {"status": "published", "book": {"price": 10**40, "name": "\u0000"}},
        {"status": "published", "id_book": "not-a-uuid"},
    ],
)
async def test_bad_input_is_a_clear_4xx_on_both_databases(client, auth, database, body):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "support")
    response = await client.post(
        URL, json={"id_book": str(sub.book_id), **body}, headers={"Accept-Language": "en"}
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        # The ignored book object changed nothing: the product carries the stored values.
        [product] = await _rows(database, Product)
        assert product.real_price == Decimal("45000")


async def test_two_reviewers_at_once_make_one_decision(client, auth, database, backend):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "support")
    answers = await asyncio.gather(
        _decide(client, sub.book_id, "published"),
        _decide(client, sub.book_id, "rejected", comment="Bersamaan"),
    )
    # PostgreSQL: the loser waits for the row lock, then finds the book decided (409). SQLite
    # has one writer at a time: the loser may instead be told to retry (503, Retry-After).
    losers = {409} if backend == "postgresql" else {409, 503}
    first, second = sorted(r.status_code for r in answers)
    assert first == 200
    assert second in losers
    decided = await _rows(database, BookApproval, BookApproval.id_internal.is_not(None))
    assert len(decided) == 1
    [book] = await _rows(database, Book, Book.id == sub.book_id)
    assert book.status == {"published": "published", "rejected": "rejected"}[decided[0].status]
    assert len(await _rows(database, Notif)) == 1
    assert len(await _rows(database, MailOutbox)) == 1


@pytest.mark.parametrize("categories", [1, 12])
async def test_publishing_costs_the_same_statements_for_1_or_12_categories(
    client, auth, database, categories
):
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "management")
    async with database.sessionmaker() as db:
        chosen = [Category(name=f"K{i}", slug=f"k-{i}") for i in range(categories)]
        db.add_all(chosen)
        await db.commit()
    ids = [str(category.id) for category in chosen]
    async with count_statements(database) as log:
        response = await _decide(client, sub.book_id, "published", category_ids=ids)
    assert response.status_code == 200, response.text
    assert len(await _rows(database, ProductCategory)) == categories
    # lock, move, clash check, product, its id on the book, categories (2 reads, 1 insert),
    # approval, author lookup, notification, email, audit: the same for any category count.
    assert log.count == 13, log.statements
