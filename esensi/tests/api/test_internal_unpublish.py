"""book_unpublish: management takes a published book off sale; buyers keep their books."""

import uuid
from decimal import Decimal

import pytest
from review_helpers import sign_in_staff, submit_book
from sqlalchemy import select

from esensi.models.audit import AuditLog
from esensi.models.book import Book, BookApproval
from esensi.models.bundle import Bundle, BundleProduct
from esensi.models.customer import Customer
from esensi.models.entitlement import TSalesDownload
from esensi.models.notif import Notif
from esensi.models.outbox import MailOutbox
from esensi.models.product import Product
from esensi.models.sales import TSales

URL = "/api/internal/book/unpublish"


async def _rows(database, model, *where):
    async with database.sessionmaker() as db:
        return list(await db.scalars(select(model).where(*where)))


@pytest.fixture
async def sold(client, auth, database):
    """A book published through the review, bought once, and part of a published bundle."""
    sub = await submit_book(database)
    await sign_in_staff(database, auth, "management")
    response = await client.post(
        "/api/internal/book-approval/create",
        json={"id_book": str(sub.book_id), "status": "published"},
    )
    product_id = uuid.UUID(response.json()["data"]["id_product"])
    async with database.sessionmaker() as db:
        customer = Customer(name="Pembaca", email="pembaca@contoh.id")
        db.add(customer)
        await db.flush()
        order = TSales(
            id_customer=customer.id,
            status="paid",
            subtotal=Decimal(45000),
            total=Decimal(45000),
        )
        bundle = Bundle(
            name="Paket",
            slug="paket",
            id_author=sub.author_id,
            real_price=Decimal(1),
            status="published",
        )
        db.add_all([order, bundle])
        await db.flush()
        db.add(BundleProduct(id_bundle=bundle.id, id_product=product_id))
        db.add(TSalesDownload(id_customer=customer.id, id_product=product_id, id_sales=order.id))
        await db.commit()
    return sub


async def test_unpublish_pauses_the_product_and_keeps_entitlements(client, auth, database, sold):
    response = await client.post(URL, json={"id": str(sold.book_id), "reason": "Laporan hak cipta"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["status"], data["product_status"]) == ("draft", "paused")
    assert data["approval"]["status"] == "unpublished"
    assert data["approval"]["comment"] == "Laporan hak cipta"
    [product] = await _rows(database, Product)
    assert product.status == "paused"
    [bundle] = await _rows(database, Bundle)
    assert bundle.status == "paused"
    [told] = await _rows(database, Notif, Notif.type == "message")
    assert (told.id_user, told.url) == (sold.author_user_id, f"/bundle/{bundle.id}")
    assert told.message == "Paket Paket dijeda karena salah satu bukunya tidak lagi dijual"
    [grant] = await _rows(database, TSalesDownload)
    assert grant.revoked_at is None
    notices = await _rows(database, Notif, Notif.type == "book-revise")
    assert [n.message for n in notices] == [f"Buku {product.name} perlu revisi: Laporan hak cipta"]
    assert len(await _rows(database, MailOutbox, MailOutbox.template_alias == "book-revision")) == 1
    [trail] = await _rows(database, AuditLog, AuditLog.action == "book.unpublish")
    assert trail.after is not None
    assert trail.after["product_status"] == "paused"
    # The owner can edit and resubmit: the book is a draft again.
    [book] = await _rows(database, Book)
    assert book.status == "draft"


async def test_only_a_published_book_is_unpublished(client, auth, database, sold):
    body = {"id": str(sold.book_id), "reason": "Dua kali"}
    assert (await client.post(URL, json=body)).status_code == 200
    again = await client.post(URL, json=body)
    assert again.status_code == 409
    assert again.json()["message"] == "Status buku tidak valid untuk aksi ini"
    rows = await _rows(database, BookApproval, BookApproval.status == "unpublished")
    assert len(rows) == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reason": ""},
        {"reason": "x", "status": "draft"},
        {"reason": "nul \u0000"},
        {"reason": ["x"]},
        {"reason": "x" * 2001},
    ],
)
async def test_reason_is_required_and_fields_are_allowlisted(client, auth, database, sold, body):
    response = await client.post(URL, json={"id": str(sold.book_id), **body})
    assert response.status_code == 422
    [book] = await _rows(database, Book)
    assert book.status == "published"


@pytest.mark.parametrize("roles", [("support",), ("it",), ("sales_and_marketing",)])
async def test_only_management_unpublishes(client, auth, database, sold, roles):
    await sign_in_staff(database, auth, *roles)
    response = await client.post(URL, json={"id": str(sold.book_id), "reason": "x"})
    assert response.status_code == 403
    [book] = await _rows(database, Book)
    assert book.status == "published"
