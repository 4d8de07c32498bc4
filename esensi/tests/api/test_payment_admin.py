"""Staff payment actions, refunds, the customer's status poll and the Snap config, through HTTP."""

import uuid
from decimal import Decimal

from payment_helpers import WEBHOOK, counts, make_pending, make_shop, notification
from sqlalchemy import select
from staff_helpers import sign_in_staff

from esensi.models.audit import AuditLog
from esensi.models.entitlement import TSalesDownload
from factories import login_as
from rlib.testing.statements import count_statements

MANAGE = "/api/internal/payment/manage"


async def _paid(pay, database, standin):
    shop = await make_shop(database)
    order = await make_pending(database, shop, standin, shop.own, shop.bundle)
    remote = standin.state.orders[order.midtrans_order_id]
    remote.transaction_status, remote.status_code = "settlement", "200"
    assert (await pay.post(WEBHOOK, json=notification(remote))).status_code == 200
    return shop, order


async def test_a_refund_revokes_reverses_and_tells_the_customer(pay, database, standin, auth):
    _shop, order = await _paid(pay, database, standin)
    await sign_in_staff(database, auth, "management")
    answer = await pay.post(MANAGE, json={"order_id": order.midtrans_order_id, "action": "refund"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["status"] == "refunded"
    found = await counts(database, order.id)
    assert found["status"] == "refunded"
    assert found["ledger"] == {
        "sale": (3, Decimal(120_000)),
        "refund": (3, Decimal(-120_000)),
    }
    assert found["mails"] == sorted([f"payment-success:{order.id}", f"refund-processed:{order.id}"])
    assert found["notifs"]["order-update"] == 4  # 3 items sold + the refund to the customer
    async with database.sessionmaker() as db:
        revoked = (await db.execute(select(TSalesDownload.revoked_at))).scalars().all()
        actions = (await db.execute(select(AuditLog.action))).scalars().all()
    assert len(revoked) == 2
    assert all(revoked)
    assert actions == ["order.refund"]
    # A second refund: the order is no longer paid.
    again = await pay.post(MANAGE, json={"order_id": order.midtrans_order_id, "action": "refund"})
    assert again.status_code == 409


async def test_only_management_refunds_and_only_payment_staff_manage(pay, database, standin, auth):
    shop, order = await _paid(pay, database, standin)
    body = {"order_id": order.midtrans_order_id, "action": "refund"}
    await sign_in_staff(database, auth, "support")
    assert (await pay.post(MANAGE, json=body)).status_code == 403
    status = {"order_id": order.midtrans_order_id, "action": "status"}
    assert (await pay.post(MANAGE, json=status)).status_code == 200
    await sign_in_staff(database, auth, "it")
    assert (await pay.post(MANAGE, json=status)).status_code == 403
    login_as(auth, shop.customer_user.id, customer=shop.customer.id)
    assert (await pay.post(MANAGE, json=status)).status_code == 403
    login_as(auth, shop.author_user.id, author=shop.author.id)
    assert (await pay.post(MANAGE, json=status)).status_code == 403
    assert (await counts(database, order.id))["status"] == "paid"


async def test_cancel_of_an_order_midtrans_never_saw_closes_it_here(pay, database, standin, auth):
    shop = await make_shop(database)
    order = await make_pending(database, shop, standin, shop.own)
    del standin.state.orders[order.midtrans_order_id]
    await sign_in_staff(database, auth, "support")
    answer = await pay.post(MANAGE, json={"order_id": order.midtrans_order_id, "action": "cancel"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["status"] == "cancelled"
    found = await counts(database, order.id)
    assert found["notifs"] == {"order-update": 1}
    assert found["mails"] == []  # cancelled: a notification, no email


async def test_approving_a_challenged_payment_pays_it(pay, database, standin, auth):
    shop = await make_shop(database)
    order = await make_pending(database, shop, standin, shop.own)
    remote = standin.state.orders[order.midtrans_order_id]
    remote.transaction_status, remote.status_code, remote.fraud_status = (
        "capture",
        "201",
        "challenge",
    )
    assert (await pay.post(WEBHOOK, json=notification(remote))).status_code == 200
    await sign_in_staff(database, auth, "support")
    body = {"order_id": order.midtrans_order_id, "action": "approve"}
    answer = await pay.post(MANAGE, json=body)
    assert answer.json()["data"]["status"] == "paid"
    assert (await counts(database, order.id))["downloads"] == 1


async def test_manage_unknown_order_is_404_and_midtrans_down_is_503(pay, database, standin, auth):
    shop = await make_shop(database)
    order = await make_pending(database, shop, standin, shop.own)
    await sign_in_staff(database, auth, "management")
    unknown = await pay.post(MANAGE, json={"order_id": "ESN-none", "action": "status"})
    assert unknown.status_code == 404
    standin.state.status_mode = "down"
    down = await pay.post(MANAGE, json={"order_id": order.midtrans_order_id, "action": "expire"})
    assert down.status_code == 503
    assert (await counts(database, order.id))["status"] == "pending"
    bad = await pay.post(MANAGE, json={"order_id": order.midtrans_order_id, "action": "pay"})
    assert bad.status_code == 422


async def test_status_poll_is_own_only_and_applies_midtrans_answer(pay, database, standin, auth):
    shop = await make_shop(database)
    order = await make_pending(database, shop, standin, shop.own, shop.bundle)
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())  # another customer
    other = await pay.post("/api/payment/status", json={"order_id": order.midtrans_order_id})
    assert other.status_code == 404
    login_as(auth, shop.customer_user.id, customer=shop.customer.id)
    pending = await pay.post("/api/payment/status", json={"order_id": order.midtrans_order_id})
    assert pending.json()["data"]["status"] == "pending"
    remote = standin.state.orders[order.midtrans_order_id]
    remote.transaction_status, remote.status_code = "settlement", "200"
    paid = (
        await pay.post("/api/payment/status", json={"order_id": order.midtrans_order_id})
    ).json()
    assert paid["data"]["status"] == "paid"
    assert paid["data"]["total"] == "120000.00"
    assert [item["name"] for item in paid["data"]["items"]] == ["Laut Bercerita", shop.bundle.name]
    assert (await counts(database, order.id))["downloads"] == 2
    by_own_id = await pay.post("/api/payment/status", json={"order_id": str(order.id)})
    assert by_own_id.json()["data"]["order_id"] == order.midtrans_order_id


async def test_snap_config_is_public(pay):
    answer = await pay.get("/api/payment/config")
    assert answer.status_code == 200
    assert answer.json()["data"]["client_key"] == "SB-Mid-client-test"
    assert answer.json()["data"]["snap_url"].endswith("/snap/snap.js")


async def test_status_of_a_settled_order_takes_three_statements(pay, database, standin, auth):
    shop, order = await _paid(pay, database, standin)
    login_as(auth, shop.customer_user.id, customer=shop.customer.id)
    async with count_statements(database) as log:
        answer = await pay.post("/api/payment/status", json={"order_id": order.midtrans_order_id})
    assert answer.json()["data"]["status"] == "paid"
    # the order, its lines, the bundles' products: not per line; a paid order asks no one
    assert log.count == 3, log.statements


async def test_a_refunded_book_bought_again_is_granted_again(pay, database, standin, auth):
    shop, first = await _paid(pay, database, standin)
    await sign_in_staff(database, auth, "management")
    body = {"order_id": first.midtrans_order_id, "action": "refund"}
    assert (await pay.post(MANAGE, json=body)).status_code == 200
    again = await make_pending(database, shop, standin, shop.own)
    remote = standin.state.orders[again.midtrans_order_id]
    remote.transaction_status, remote.status_code = "settlement", "200"
    assert (await pay.post(WEBHOOK, json=notification(remote))).status_code == 200
    async with database.sessionmaker() as db:
        rows = (
            await db.execute(
                select(
                    TSalesDownload.id_product, TSalesDownload.id_sales, TSalesDownload.revoked_at
                )
            )
        ).all()
    live = {(product, sales) for product, sales, revoked in rows if revoked is None}
    assert live == {(shop.own.id, again.id)}  # the other book of the bundle stays refunded
