"""The Midtrans webhook through HTTP, with the stand-in as Midtrans (workflows §4.5, M1-M5)."""

import asyncio
from decimal import Decimal

import httpx
from payment_helpers import WEBHOOK, counts, make_pending, make_shop, notification
from sqlalchemy import select

from esensi.models.audit import AuditLog
from esensi.models.sales import Midtrx, TSales


async def _world(database, standin):
    shop = await make_shop(database)
    order = await make_pending(database, shop, standin, shop.own, shop.bundle)
    remote = standin.state.orders[order.midtrans_order_id]
    return shop, order, remote


async def test_a_settlement_pays_once_with_every_effect(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code = "settlement", "200"
    body = notification(remote)
    answers = [await pay.post(WEBHOOK, json=body) for _ in range(100)]
    assert {a.status_code for a in answers} == {200}
    assert answers[0].json()["data"] == {"success": True}
    found = await counts(database, order.id)
    assert found["status"] == "paid"
    # own + (own, published) from the bundle: two products, one entitlement each
    assert found["downloads"] == 2
    # own line 40 000 to the author; bundle 80 000 split 40:60 -> 32 000 author, 48 000 publisher
    assert found["ledger"] == {"sale": (3, Decimal(120_000))}
    assert found["notifs"] == {"payment-success": 1, "order-update": 3}
    assert found["mails"] == [f"payment-success:{order.id}"]
    async with database.sessionmaker() as db:
        log = (await db.execute(select(Midtrx.received_count, Midtrx.outcome))).all()
    assert log == [(100, "applied")]


async def test_concurrent_replays_change_the_order_once(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code = "settlement", "200"
    body = notification(remote)
    answers = await asyncio.gather(*(pay.post(WEBHOOK, json=body) for _ in range(100)))
    # The test pool holds 2 connections: a request that waits too long for one gets 503 with
    # Retry-After (Midtrans retries it), never a 2xx that hides a failure.
    statuses = {a.status_code for a in answers}
    assert 200 in statuses
    assert statuses <= {200, 503}
    found = await counts(database, order.id)
    assert found["status"] == "paid"
    assert found["downloads"] == 2
    assert found["ledger"]["sale"][0] == 3
    assert found["notifs"]["payment-success"] == 1
    assert found["mails"] == [f"payment-success:{order.id}"]


async def test_the_alias_url_is_the_same_handler(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code = "settlement", "200"
    assert (await pay.post("/api/payment/webhook", json=notification(remote))).status_code == 200
    assert (await counts(database, order.id))["status"] == "paid"


async def test_the_status_api_decides_not_the_body(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    # A signed "settlement" while Midtrans itself still says pending: nothing moves.
    body = notification(remote, transaction_status="settlement")
    assert (await pay.post(WEBHOOK, json=body)).status_code == 200
    assert (await counts(database, order.id))["status"] == "pending"


async def test_out_of_order_statuses_never_downgrade_paid(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code = "settlement", "200"
    assert (await pay.post(WEBHOOK, json=notification(remote))).status_code == 200
    for status, code in (("pending", "201"), ("expire", "407"), ("deny", "202")):
        remote.transaction_status, remote.status_code = status, code
        assert (await pay.post(WEBHOOK, json=notification(remote))).status_code == 200
    found = await counts(database, order.id)
    assert found["status"] == "paid"
    assert found["notifs"] == {"payment-success": 1, "order-update": 3}


async def test_expiry_then_a_verified_settlement_pays_with_an_audit_row(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code = "expire", "407"
    assert (await pay.post(WEBHOOK, json=notification(remote))).status_code == 200
    found = await counts(database, order.id)
    assert found["status"] == "expired"
    assert found["mails"] == [f"payment-expired:{order.id}"]
    remote.transaction_status, remote.status_code = "settlement", "200"
    assert (await pay.post(WEBHOOK, json=notification(remote))).status_code == 200
    assert (await counts(database, order.id))["status"] == "paid"
    async with database.sessionmaker() as db:
        audit = (await db.execute(select(AuditLog.action, AuditLog.before))).all()
    assert audit == [("order.late_settlement", {"status": "expired"})]


async def test_capture_with_challenge_stays_pending(pay, database, standin):
    _shop, _order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code, remote.fraud_status = (
        "capture",
        "201",
        "challenge",
    )
    assert (await pay.post(WEBHOOK, json=notification(remote))).status_code == 200
    async with database.sessionmaker() as db:
        row = (await db.execute(select(TSales.status, TSales.fraud_status))).one()
    assert tuple(row) == ("pending", "challenge")


async def test_a_bad_signature_is_401_logged_and_changes_nothing(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code = "settlement", "200"
    body = notification(remote, signature_key="0" * 128)
    answer = await pay.post(WEBHOOK, json=body)
    assert answer.status_code == 401
    assert answer.json()["code"] == "bad_signature"
    assert (await counts(database, order.id))["status"] == "pending"
    async with database.sessionmaker() as db:
        log = (await db.execute(select(Midtrx.outcome, Midtrx.signature_valid))).all()
        stored = (await db.execute(select(Midtrx.payload))).scalar_one()
    assert log == [("rejected", False)]
    assert "signature_key" not in stored


async def test_a_signature_over_another_amount_is_refused(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code = "settlement", "200"
    # Signed for 1.00, sent claiming the real total: the signature does not cover the body.
    body = notification(remote, sign_amount="1.00")
    body["gross_amount"] = remote.gross_amount
    assert (await pay.post(WEBHOOK, json=body)).status_code == 401
    assert (await counts(database, order.id))["status"] == "pending"


async def test_an_amount_mismatch_is_400_logged_and_changes_nothing(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code = "settlement", "200"
    answer = await pay.post(WEBHOOK, json=notification(remote, sign_amount="1.00"))
    assert answer.status_code == 400
    assert answer.json()["code"] == "amount_mismatch"
    assert (await counts(database, order.id))["status"] == "pending"
    async with database.sessionmaker() as db:
        assert (await db.execute(select(Midtrx.outcome))).scalars().all() == ["rejected"]


async def test_an_unknown_order_is_404_logged(pay, database, standin):
    _shop, _order, remote = await _world(database, standin)
    remote.order_id = "ESN-nobody"
    answer = await pay.post(WEBHOOK, json=notification(remote))
    assert answer.status_code == 404
    async with database.sessionmaker() as db:
        assert (await db.execute(select(Midtrx.order_id))).scalars().all() == ["ESN-nobody"]


async def test_status_api_down_is_503_and_a_retry_applies(pay, database, standin):
    _shop, order, remote = await _world(database, standin)
    remote.transaction_status, remote.status_code = "settlement", "200"
    standin.state.status_mode = "down"
    answer = await pay.post(WEBHOOK, json=notification(remote))
    assert answer.status_code == 503
    assert "Retry-After" in answer.headers
    assert (await counts(database, order.id))["status"] == "pending"
    standin.state.status_mode = "ok"
    assert (await pay.post(WEBHOOK, json=notification(remote))).status_code == 200
    assert (await counts(database, order.id))["status"] == "paid"


async def test_malformed_bodies_are_4xx(pay, database, standin):
    for body in (b"", b"[]", b"{", b'{"order_id": "x"}', b"x" * (65 * 1024)):
        answer = await pay.post(WEBHOOK, content=body, headers={"Content-Type": "application/json"})
        assert 400 <= answer.status_code < 500, body[:20]


async def test_settling_through_the_standin_sends_a_signed_webhook(pay, database, standin):
    _shop, order, _remote = await _world(database, standin)
    # The stand-in's own control URL: marks the order settled and posts the notification.
    async with httpx.AsyncClient() as http:
        answer = await http.post(f"{standin.url}/_standin/settle/{order.midtrans_order_id}")
    assert answer.json()["webhook"] == {"sent": True, "status": 200}
    assert (await counts(database, order.id))["status"] == "paid"
