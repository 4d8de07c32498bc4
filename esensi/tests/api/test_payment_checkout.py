"""Checkout through HTTP with the stand-in as Midtrans: cart → order → Snap → webhook → paid."""

import asyncio
import datetime as dt
from decimal import Decimal

import httpx
from payment_helpers import counts, make_shop
from sqlalchemy import delete, func, select

from esensi.models.idempotency import IdempotencyKey
from esensi.models.promo import PromoCode, PromoCodeUsage
from esensi.models.sales import TSales, TSalesLine
from esensi.services import idempotency
from rlib.auth.users import SessionUser
from rlib.db.tx import UnitOfWork


def _sign_in(auth, shop, *, verified=True):
    auth.user = SessionUser(
        id=shop.customer_user.id,
        profiles={"customer": shop.customer.id},
        email=shop.customer_user.email,
        email_verified=verified,
    )


async def _cart(pay, database, auth, *items):
    shop = await make_shop(database)
    _sign_in(auth, shop)
    for item in items or ("own", "bundle"):
        key = "id_bundle" if item == "bundle" else "id_product"
        answer = await pay.post("/api/cart/add", json={key: str(getattr(shop, item).id)})
        assert answer.status_code == 200, answer.text
    return shop


async def _orders(database):
    async with database.sessionmaker() as db:
        rows = await db.execute(select(TSales.status, TSales.id).order_by(TSales.created_at))
        return [tuple(r) for r in rows.all()]


async def test_checkout_then_settlement_buys_the_books(pay, database, auth, standin):
    await _cart(pay, database, auth, "own", "bundle")
    answer = await pay.post("/checkout", json={})
    assert answer.status_code == 200, answer.text
    data = answer.json()["data"]
    assert data["order_id"].startswith("ESN-")
    assert data["token"]
    assert data["client_key"] == "SB-Mid-client-test"
    snap = standin.state.snap_requests[-1]
    gross = snap["transaction_details"]["gross_amount"]
    assert gross == 120_000
    assert sum(i["price"] * i["quantity"] for i in snap["item_details"]) == gross
    async with httpx.AsyncClient() as http:
        settled = await http.post(f"{standin.url}/_standin/settle/{data['order_id']}")
    assert settled.json()["webhook"]["status"] == 200
    [(status, order_id)] = await _orders(database)
    found = await counts(database, order_id)
    assert status == "paid"
    assert found["downloads"] == 2
    assert f"order-created:{order_id}" in found["mails"]
    assert f"payment-success:{order_id}" in found["mails"]


async def test_a_retry_answers_for_the_same_order_without_a_new_snap(pay, database, auth, standin):
    await _cart(pay, database, auth, "own")
    first = (await pay.post("/checkout", json={})).json()["data"]
    second = (await pay.post("/checkout", json={})).json()["data"]
    assert first == second
    assert len(standin.state.snap_requests) == 1
    assert len(await _orders(database)) == 1


async def test_concurrent_checkouts_of_one_cart_make_one_order(pay, database, auth, standin):
    await _cart(pay, database, auth, "own", "bundle")
    answers = await asyncio.gather(*(pay.post("/checkout", json={}) for _ in range(5)))
    ok = [a.json()["data"]["order_id"] for a in answers if a.status_code == 200]
    assert ok
    assert {a.status_code for a in answers} <= {200, 503}
    assert len(set(ok)) == 1
    orders = await _orders(database)
    assert [status for status, _ in orders] == ["pending"]


async def test_idempotency_key_replays_and_refuses_another_body(pay, database, auth, standin):
    await _cart(pay, database, auth, "own")
    headers = {"Idempotency-Key": "k-123"}
    first = await pay.post("/checkout", json={}, headers=headers)
    replay = await pay.post("/checkout", json={}, headers=headers)
    assert replay.status_code == 200
    assert replay.json()["data"] == first.json()["data"]
    assert len(standin.state.snap_requests) == 1
    other = await pay.post("/checkout", json={"note": "x"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_mismatch"
    bad = await pay.post("/checkout", json={}, headers={"Idempotency-Key": "a b"})
    assert bad.status_code == 422


async def test_snap_refusal_fails_the_order_and_gives_the_cart_back(pay, database, auth, standin):
    await _cart(pay, database, auth, "own", "bundle")
    async with database.sessionmaker() as db:
        promo = PromoCode(code="HEMAT", discount_type="fixed", discount_value=Decimal(10_000))
        db.add(promo)
        await db.commit()
    assert (await pay.post("/api/cart/promo", json={"code": "hemat"})).status_code == 200
    standin.state.snap_mode = "reject"
    answer = await pay.post("/checkout", json={})
    assert answer.status_code == 502
    assert answer.json()["message"] == "Pembayaran gagal dibuat"
    orders = await _orders(database)
    assert sorted(status for status, _ in orders) == ["cart", "failed"]
    async with database.sessionmaker() as db:
        lines = await db.scalar(
            select(func.count())
            .select_from(TSalesLine)
            .join(TSales, TSales.id == TSalesLine.id_sales)
            .where(TSales.status == "cart")
        )
        released = (await db.execute(select(PromoCodeUsage.released_at))).scalars().all()
        used = await db.scalar(select(PromoCode.used_count))
    assert lines == 2
    assert len(released) == 1
    assert released[0] is not None
    assert used == 0
    failed = next(order_id for status, order_id in orders if status == "failed")
    assert f"payment-failed:{failed}" in (await counts(database, failed))["mails"]


async def test_snap_timeout_keeps_the_order_pending_and_the_retry_asks_again(
    pay, database, auth, standin
):
    await _cart(pay, database, auth, "own")
    standin.state.snap_mode = "timeout"
    answer = await pay.post("/checkout", json={})
    assert answer.status_code == 503
    assert [status for status, _ in await _orders(database)] == ["pending"]
    standin.state.snap_mode = "ok"
    retry = await pay.post("/checkout", json={})
    assert retry.status_code == 200, retry.text
    ids = {r["transaction_details"]["order_id"] for r in standin.state.snap_requests}
    assert ids == {retry.json()["data"]["order_id"]}
    assert len(await _orders(database)) == 1


async def test_checkout_needs_a_verified_email_and_a_cart(pay, database, auth, standin):
    shop = await make_shop(database)
    _sign_in(auth, shop, verified=False)
    assert (await pay.post("/checkout", json={})).status_code == 403
    _sign_in(auth, shop)
    empty = await pay.post("/checkout", json={})
    assert empty.status_code == 422
    assert await _orders(database) == []


async def _claim_row(database, owner: str, key: str, *, age: dt.timedelta) -> None:
    now = dt.datetime.now(dt.UTC)
    async with database.sessionmaker() as db:
        db.add(
            IdempotencyKey(
                scope=owner,
                key=key,
                request_hash=idempotency.request_hash(b"{}"),
                status="in_progress",
                expires_at=now + idempotency.LIFETIME,
                created_at=now - age,
            )
        )
        await db.commit()


async def test_a_claim_left_by_a_dead_request_is_taken_over_after_the_lease(
    pay, database, auth, standin
):
    # Battery F1: a request that died with the database (or its process) left its claim
    # "in progress", and every retry with that key answered 409 for 24 hours.
    shop = await _cart(pay, database, auth, "own")
    owner = f"{shop.customer.id}:checkout"
    await _claim_row(database, owner, "k-live", age=dt.timedelta(seconds=5))
    await _claim_row(database, owner, "k-dead", age=idempotency.LEASE + dt.timedelta(seconds=1))
    live = await pay.post("/checkout", json={}, headers={"Idempotency-Key": "k-live"})
    assert live.status_code == 409
    dead = await pay.post("/checkout", json={}, headers={"Idempotency-Key": "k-dead"})
    assert dead.status_code == 200, dead.text
    assert [status for status, _ in await _orders(database)] == ["pending"]


async def test_a_claim_the_database_could_not_free_is_freed_once_it_is_back(
    pay, database, auth, standin, monkeypatch
):
    # Battery F1: the request failed because PostgreSQL went away, so freeing its claim failed
    # too; the claim is freed in the background once the database answers again.
    await _cart(pay, database, auth, "own")
    free, calls = idempotency._free, []

    async def flaky(unit, claim_ids):
        calls.append(claim_ids)
        if len(calls) == 1:
            await unit.close()
            raise ConnectionRefusedError(111, "Connect call failed")
        await free(unit, claim_ids)

    monkeypatch.setattr(idempotency, "_free", flaky)
    monkeypatch.setattr(idempotency, "RETRY_S", 0.01)
    standin.state.snap_mode = "error"
    headers = {"Idempotency-Key": "k-outage"}
    failed = await pay.post("/checkout", json={}, headers=headers)
    assert failed.status_code == 503, failed.text
    await idempotency.settle()
    assert len(calls) == 2
    standin.state.snap_mode = "ok"
    retried = await pay.post("/checkout", json={}, headers=headers)
    assert retried.status_code == 200, retried.text


async def test_a_claim_freed_while_a_retry_reads_it_lets_the_retry_run(
    pay, database, auth, standin, monkeypatch
):
    # Battery F3: a retry's insert met the first request's claim, which was freed before the
    # retry could read it: NoResultFound, a 500. The retry now claims again.
    shop = await _cart(pay, database, auth, "own")
    owner = f"{shop.customer.id}:checkout"
    await _claim_row(database, owner, "k-race", age=dt.timedelta(seconds=1))
    read, reads = idempotency.existing, []

    async def freed_first(db, owner_, key):
        reads.append(key)
        if len(reads) == 1:
            await db.execute(delete(IdempotencyKey).where(IdempotencyKey.key == key))
        return await read(db, owner_, key)

    monkeypatch.setattr(idempotency, "existing", freed_first)
    answer = await pay.post("/checkout", json={}, headers={"Idempotency-Key": "k-race"})
    assert answer.status_code == 200, answer.text
    assert len(reads) == 1


async def test_a_key_in_progress_says_when_to_try_again(pay, database, auth, standin):
    shop = await _cart(pay, database, auth, "own")
    await _claim_row(database, f"{shop.customer.id}:checkout", "k-busy", age=dt.timedelta(0))
    busy = await pay.post("/checkout", json={}, headers={"Idempotency-Key": "k-busy"})
    assert busy.status_code == 409
    assert busy.json()["code"] == "idempotency_in_progress"
    assert busy.headers["retry-after"] == "1"


def _refuse(*args, **kwargs):
    raise ConnectionRefusedError(111, "Connect call failed")


async def test_a_retry_takes_over_a_claim_still_waiting_for_the_background_free(
    pay, database, auth, standin, monkeypatch
):
    # Battery F1/F3: the failed request's claim waited for the background free, and the same
    # client's retry in the meantime answered 409 "in progress" for seconds.
    await _cart(pay, database, auth, "own")
    free = idempotency._free

    async def unfreeable(unit, claim_ids):
        await unit.close()
        _refuse()

    monkeypatch.setattr(idempotency, "_free", unfreeable)
    standin.state.snap_mode = "error"
    headers = {"Idempotency-Key": "k-pending"}
    failed = await pay.post("/checkout", json={}, headers=headers)
    assert failed.status_code == 503, failed.text
    standin.state.snap_mode = "ok"
    retried = await pay.post("/checkout", json={}, headers=headers)
    assert retried.status_code == 200, retried.text
    monkeypatch.setattr(idempotency, "_free", free)
    await idempotency.settle()  # the freer stops: nothing is left to free
    again = await pay.post("/checkout", json={}, headers=headers)
    assert again.json()["data"] == retried.json()["data"]
    assert [status for status, _ in await _orders(database)] == ["pending"]


async def test_a_claim_whose_answer_could_not_be_committed_is_freed(
    pay, database, auth, standin, monkeypatch
):
    # The answer used to be committed at the edge, after the handler had returned: a database
    # that went away just then left the claim "in progress" for the lease (2 minutes).
    await _cart(pay, database, auth, "own")
    store = idempotency.store
    calls = []

    async def lost_once(scope, **kwargs):
        calls.append(kwargs["key"])
        if len(calls) == 1:
            _refuse()
        await store(scope, **kwargs)

    monkeypatch.setattr(idempotency, "store", lost_once)
    headers = {"Idempotency-Key": "k-commit"}
    failed = await pay.post("/checkout", json={}, headers=headers)
    assert failed.status_code == 503, failed.text
    retried = await pay.post("/checkout", json={}, headers=headers)
    assert retried.status_code == 200, retried.text
    assert [status for status, _ in await _orders(database)] == ["pending"]


async def test_a_rollback_on_a_dropped_connection_still_frees_the_claim(
    pay, database, auth, standin, monkeypatch
):
    # Battery F3 (pg_terminate_backend): rolling back a killed connection raised, the error
    # skipped the free, and the client's retries met 409 until the lease ran out.
    await _cart(pay, database, auth, "own")
    rollback = UnitOfWork.rollback
    failures = []

    async def dropped(unit):
        if not failures:
            failures.append(unit)
            _refuse()
        await rollback(unit)

    monkeypatch.setattr(UnitOfWork, "rollback", dropped)
    standin.state.snap_mode = "error"
    headers = {"Idempotency-Key": "k-dropped"}
    failed = await pay.post("/checkout", json={}, headers=headers)
    assert failed.status_code == 503, failed.text
    assert failed.json()["code"] != "idempotency_in_progress"
    assert failures
    standin.state.snap_mode = "ok"
    retried = await pay.post("/checkout", json={}, headers=headers)
    assert retried.status_code == 200, retried.text
