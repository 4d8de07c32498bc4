"""The customer's orders through HTTP on both databases: history pages, one order (trx) and the
purchase list; owner scope, carts never shown, bad input 422, statement counts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from commerce_helpers import make_shop, money, placed, sign_in

from factories import login_as
from factories.catalogue import make_bundle, make_order
from rlib.testing.statements import count_statements


async def _orders(database):
    """Mine: a cart, a paid order (product + bundle, promo), a pending one, an expired one;
    the other customer's paid order."""
    async with database.sessionmaker() as db:
        shop = await make_shop(db)
        p0, p1, p2 = shop.products
        bundle = await make_bundle(db, shop.author, [p2])
        await make_order(db, shop.me, "cart", p2)
        paid = await placed(db, shop.me, "paid", p0, bundle, days_ago=3, promo_code="HEMAT")
        paid.discount_total, paid.total = money(5000), paid.subtotal - money(5000)
        pending = await placed(
            db,
            shop.me,
            "pending",
            p1,
            days_ago=1,
            snap_redirect_url="https://app.sandbox.midtrans.com/snap/v4/x",
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=20),
        )
        await placed(db, shop.me, "expired", p1, days_ago=10, snap_redirect_url="https://old")
        theirs = await placed(db, shop.other, "paid", p0)
        await db.commit()
    shop.orders = {"paid": paid, "pending": pending, "theirs": theirs}
    return shop


async def test_history_lists_own_orders_never_the_cart_in_two_statements(client, database, auth):
    shop = await _orders(database)
    sign_in(auth, shop.me)
    async with count_statements(database) as log:
        body = (await client.get("/history/all/1")).json()
    assert log.count == 2, log.statements
    assert [o["status"] for o in body["data"]] == ["pending", "paid", "expired"]
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 3, "totalPages": 1}
    assert body["data"][1]["line_count"] == 2
    paid = (await client.get("/history/paid/1")).json()["data"]
    assert [o["id"] for o in paid] == [str(shop.orders["paid"].id)]
    assert (await client.get("/history")).json()["pagination"]["total"] == 3
    assert (await client.get("/history/refunded")).json()["data"] == []


async def test_history_pages_by_twenty_with_total_pages(client, database, auth):
    async with database.sessionmaker() as db:
        shop = await make_shop(db, product_count=1)
        for n in range(21):
            await placed(db, shop.me, "paid", shop.products[0], days_ago=n)
        await db.commit()
    sign_in(auth, shop.me)
    second = (await client.get("/history/all/2")).json()
    assert len(second["data"]) == 1
    assert second["pagination"] == {"page": 2, "limit": 20, "total": 21, "totalPages": 2}


@pytest.mark.parametrize(
    "url", ["/history/cart/1", "/history/PAID/1", "/history/x%00/1", "/history/all/0"]
)
async def test_history_refuses_statuses_outside_the_vocabulary_and_bad_pages(client, auth, url):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    response = await client.get(url)
    assert response.status_code == 422, response.text
    assert response.json()["success"] is False


async def test_history_refuses_huge_and_typed_pages(client, auth):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await client.get("/history/all/100001")).status_code == 422
    assert (await client.get("/history/all/99999999999999999999999")).status_code == 404
    assert (await client.post("/history/all", json={"page": "x"})).status_code == 422
    assert (await client.post("/history", json={"status": ["paid"]})).status_code == 422


async def test_trx_shows_lines_promo_and_payment_in_two_statements(client, database, auth):
    shop = await _orders(database)
    sign_in(auth, shop.me)
    paid = shop.orders["paid"]
    async with count_statements(database) as log:
        body = (await client.get(f"/trx/{paid.id}")).json()["data"]
    assert log.count == 2, log.statements
    assert (body["status"], body["promo_code"], body["discount_total"]) == (
        "paid",
        "HEMAT",
        "5000.00",
    )
    kinds = [(line["kind"], line["name"], line["slug"][:6]) for line in body["lines"]]
    assert kinds == [("product", "Buku 0", "buku-0"), ("bundle", kinds[1][1], "paket-")]
    assert (body["payment"]["status"], body["payment"]["snap_redirect_url"]) == ("paid", None)
    pending = (await client.post(f"/trx/{shop.orders['pending'].id}", json={})).json()
    assert pending["data"]["payment"]["snap_redirect_url"].startswith("https://app.sandbox")


async def test_trx_of_another_customer_or_a_cart_is_the_same_404(client, database, auth):
    shop = await _orders(database)
    async with database.sessionmaker() as db:
        cart = await make_order(db, shop.other, "cart", shop.products[1])
        await db.commit()
    sign_in(auth, shop.me)
    missing = await client.get(f"/trx/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Pesanan tidak ditemukan"
    for order_id in (shop.orders["theirs"].id, cart.id):
        response = await client.get(f"/trx/{order_id}")
        assert (response.status_code, response.json()) == (404, missing.json())
    assert (await client.get("/trx/not-a-uuid")).status_code == 422
    english = await client.get(
        f"/trx/{shop.orders['theirs'].id}", headers={"Accept-Language": "en"}
    )
    assert english.json()["message"] == "Order not found"


async def test_purchase_history_carries_lines_in_three_statements(client, database, auth):
    shop = await _orders(database)
    sign_in(auth, shop.me)
    async with count_statements(database) as log:
        body = (await client.post("/api/user/purchases", json={})).json()
    assert log.count == 3, log.statements
    assert [len(o["lines"]) for o in body["data"]] == [1, 2, 1]
    assert body["pagination"]["total"] == 3


async def test_purchase_history_filters_status_and_days(client, database, auth):
    shop = await _orders(database)
    sign_in(auth, shop.me)
    url = "/api/user/purchases"
    only_paid = (await client.post(url, json={"status": "paid"})).json()["data"]
    assert [o["id"] for o in only_paid] == [str(shop.orders["paid"].id)]
    today = dt.datetime.now(dt.UTC).date()
    recent = {"date_from": str(today - dt.timedelta(days=4)), "date_to": str(today)}
    assert [o["status"] for o in (await client.post(url, json=recent)).json()["data"]] == [
        "pending",
        "paid",
    ]
    got = await client.get(url, params={"status": "expired", "limit": 1})
    assert [o["status"] for o in got.json()["data"]] == ["expired"]
    # the original client's body names the caller: ignored, the session decides
    theirs = {"user": {"id": str(shop.other.id)}, "status": "paid"}
    assert (await client.post(url, json=theirs)).json()["data"] == only_paid


@pytest.mark.parametrize(
    "body",
    [
        {"status": "cart"},
        {"status": "paid\x00"},
        {"date_from": "2026-02-02", "date_to": "2026-02-01"},
        {"date_from": "kemarin"},
        {"limit": 101},
        {"page": 10**30},
        {"sort": "total"},
        {"status": 5},
    ],
)
async def test_purchase_history_refuses_bad_filters(client, auth, body):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    response = await client.post("/api/user/purchases", json=body)
    assert response.status_code == 422, response.text


async def test_orders_need_a_customer(client, auth):
    for url in ("/history/all/1", f"/trx/{uuid.uuid4()}", "/api/user/purchases"):
        assert (await client.post(url, json={})).status_code == 401, url
    login_as(auth, uuid.uuid4(), author=uuid.uuid4())
    assert (await client.post("/api/user/purchases", json={})).status_code == 403
