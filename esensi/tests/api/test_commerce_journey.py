"""A book bought end to end through HTTP, on both databases (issue 18): cart → promo →
checkout → the stand-in settles and signs the webhook → library → download → the owners'
ledgers → a payout request → management pays it."""

from decimal import Decimal
from types import SimpleNamespace

import httpx
import pytest
from commerce_helpers import EPUB, put_book_file
from finance_helpers import make_manager, make_owner, sign_in
from payment_helpers import midtrans_settings

from esensi.app import build_app
from esensi.settings import FileSettings, Settings
from factories.commerce import make_promo
from factories.logins import add_profile, make_login
from factories.store import make_product
from rlib.auth.users import SessionUser
from rlib.testing import app_client


@pytest.fixture
async def shop(database, auth, standin, tmp_path):
    """The app (files in ``tmp_path``, Midtrans = the stand-in) and who is in the story."""
    settings = Settings(
        env="test",
        database_url=database.config.url,
        files=FileSettings(directory=tmp_path),
        midtrans=midtrans_settings(standin.url),
    )
    app = build_app(settings, authenticator=auth)
    app.use_database(database)
    standin.state.notify_transport = httpx.ASGITransport(app=app)
    async with database.sessionmaker() as db:
        writer = await make_owner(db, "author", name="Sari")  # self-published
        house = await make_owner(db, "publisher", name="Bentang")
        book = [put_book_file(tmp_path)]
        own = await make_product(
            db, SimpleNamespace(id=writer.id), real_price=Decimal(40_000), product_file=book
        )
        sold = await make_product(
            db,
            SimpleNamespace(id=writer.id),
            id_publisher=house.id,
            real_price=Decimal(60_000),
            product_file=book,
        )
        await make_promo(db, code="JOURNEY10")
        login = await make_login(db, password=None, email_verified=True)
        customer = await add_profile(db, login, "customer")
        manager = await make_manager(db)
        await db.commit()
    reader = SessionUser(
        id=login.id, profiles={"customer": customer}, email=login.email, email_verified=True
    )
    async with app_client(app) as client:
        yield SimpleNamespace(
            http=client,
            reader=reader,
            writer=writer,
            house=house,
            own=own,
            sold=sold,
            manager=manager,
        )


async def _ok(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_a_book_is_bought_read_and_paid_out(shop, auth, standin):
    http = shop.http
    auth.user = shop.reader
    for product in (shop.own, shop.sold):
        await _ok(await http.post("/api/cart/add", json={"id_product": str(product.id)}))
    cart = await _ok(await http.post("/api/cart/promo", json={"code": "journey10"}))
    assert (cart["subtotal"], cart["discount_total"], cart["total"]) == (
        "100000.00",
        "10000.00",
        "90000.00",
    )
    order = await _ok(await http.post("/checkout", json={}, headers={"Idempotency-Key": "j-1"}))
    async with httpx.AsyncClient() as outside:
        settled = await outside.post(f"{standin.url}/_standin/settle/{order['order_id']}")
    assert settled.json()["webhook"]["status"] == 200
    status = await _ok(await http.post("/api/payment/status", json={"order_id": order["order_id"]}))
    assert status["status"] == "paid"

    library = await _ok(await http.get("/library/1"))
    assert {item["id"] for item in library} == {str(shop.own.id), str(shop.sold.id)}
    key = await _ok(await http.post("/api/library/download", json={"id_product": str(shop.own.id)}))
    download = await http.get(key["url"])
    assert download.status_code == 200
    assert download.content == EPUB
    assert (await http.get(key["url"])).status_code == 404  # single use

    # The discount is shared by price: 4 000 off the author's line, 6 000 off the publisher's.
    sign_in(auth, shop.writer)
    assert (await _ok(await http.get("/api/publish/transactions")))["balance"] == "36000.00"
    sign_in(auth, shop.house)
    assert (await _ok(await http.get("/api/publish/transactions")))["balance"] == "54000.00"
    request = await _ok(await http.post("/api/publish/withdrawal", json={"amount": "50000"}))
    assert (await _ok(await http.get("/api/publish/transactions")))["balance"] == "4000.00"

    auth.user = shop.manager
    decision = {"id": request["id"], "version": request["version"], "status": "paid"}
    paid = await _ok(
        await http.post("/api/internal/withdrawal/process", json={**decision, "reference": "TRF-1"})
    )
    assert paid["status"] == "paid"
    sign_in(auth, shop.house)
    ledger = await _ok(await http.get("/api/publish/transactions"))
    assert ledger["balance"] == "4000.00"
    assert [w["status"] for w in ledger["withdrawals"]] == ["paid"]
