"""withdrawal / withdrawal_list / withdrawal_cancel: a payout request debits the balance in the
same transaction as the request row, tells the owner and management, and is refused (nothing
written) without a fresh verified session, bank details, enough balance or above the minimum."""

import uuid
from decimal import Decimal

import pytest
from finance_helpers import (
    credit,
    ledger_of,
    mails_to,
    make_manager,
    make_owner,
    notes_to,
    sign_in,
    withdrawals_of,
)
from staff_helpers import audit_rows

from esensi.models.withdrawal import Withdrawal
from factories import login_as, make_cfg
from rlib.testing.statements import count_statements

URL = "/api/publish/withdrawal"


@pytest.fixture
async def world(database):
    async with database.sessionmaker() as db:
        publisher = await make_owner(db, "publisher", name="Bentang")
        author = await make_owner(db, "author", name="Sari")
        poor = await make_owner(db, "publisher", bank=False)
        await credit(db, publisher, 150_000, 50_000)
        await credit(db, author, 40_000)
        await credit(db, poor, 90_000)
        manager = await make_manager(db)
        support = await make_manager(db, is_support=True)
        await db.commit()
    return {
        "publisher": publisher,
        "author": author,
        "poor": poor,
        "manager": manager,
        "support": support,
    }


async def _request(client, amount, **headers):
    return await client.post(URL, json={"amount": amount}, headers=headers)


async def test_a_request_debits_the_balance_snapshots_the_bank_and_tells_everyone(
    client, auth, database, world
):
    owner = world["publisher"]
    sign_in(auth, owner)
    response = await _request(client, "120000")
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["status"], Decimal(data["amount"])) == ("pending", Decimal(120_000))
    assert data["bank_account_masked"] == "****7890"
    assert "bank_account_number" not in data
    [row] = await withdrawals_of(database, owner)
    assert (row.bank_account_number, row.bank_account_name) == ("1234567890", "Bentang Pustaka")
    debit = [t for t in await ledger_of(database, owner) if t.type == "withdrawal"]
    assert [(t.amount, t.id_withdrawal) for t in debit] == [(Decimal(-120_000), row.id)]
    [note] = await notes_to(database, owner.user_id)
    assert (note.type, note.message) == ("withdrawal-update", "Penarikan Rp 120.000: menunggu")
    assert await mails_to(database, owner.email) == ["withdrawal-requested"]
    [staff_note] = await notes_to(database, world["manager"].id)
    assert staff_note.type == "message"
    assert staff_note.message == "Permintaan penarikan Rp 120.000 dari Bentang"
    assert staff_note.url == f"/withdrawal/{row.id}"
    assert await notes_to(database, world["support"].id) == []
    listed = await client.get("/api/publish/transactions")
    assert Decimal(listed.json()["data"]["balance"]) == Decimal(80_000)


async def test_a_self_published_author_requests_from_their_own_ledger(client, auth, world):
    sign_in(auth, world["author"])
    assert (await _request(client, "40000")).status_code == 200
    again = await _request(client, "10000", **{"accept-language": "en"})
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "withdrawal_pending"


@pytest.mark.parametrize(
    ("amount", "status", "key"),
    [
        ("200000.01", 422, "The amount exceeds the balance"),
        ("9999.99", 422, "The minimum withdrawal is"),
    ],
)
async def test_over_the_balance_or_under_the_minimum_is_422_and_nothing_is_written(
    client, auth, database, world, amount, status, key
):
    owner = world["publisher"]
    sign_in(auth, owner)
    response = await _request(client, amount, **{"accept-language": "en"})
    assert response.status_code == status, response.text
    assert key in response.text
    assert await withdrawals_of(database, owner) == []
    assert len(await ledger_of(database, owner)) == 2


async def test_the_minimum_comes_from_cfg(client, auth, database, world):
    async with database.sessionmaker() as db:
        await make_cfg(db, "withdrawal.min_amount", "60000", is_public=False)
        await db.commit()
    sign_in(auth, world["publisher"])
    assert (await _request(client, "59999")).status_code == 422
    assert (await _request(client, "60000")).status_code == 200


async def test_a_stale_session_is_reauth_required(client, auth, database, world):
    sign_in(auth, world["publisher"], fresh=False)
    response = await _request(client, "20000")
    assert (response.status_code, response.json()["code"]) == (403, "reauth_required")
    assert await withdrawals_of(database, world["publisher"]) == []


async def test_an_unverified_email_is_403(client, auth, database, world):
    sign_in(auth, world["publisher"], verified=False)
    response = await _request(client, "20000")
    assert (response.status_code, response.json()["code"]) == (403, "email_unverified")
    assert response.json()["message"] == "Verifikasi email Anda sebelum meminta penarikan"


async def test_no_bank_details_is_422(client, auth, database, world):
    sign_in(auth, world["poor"])
    response = await _request(client, "20000")
    assert response.status_code == 422, response.text
    assert "rekening" in response.json()["message"]
    assert await withdrawals_of(database, world["poor"]) == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"amount": "abc"},
        {"amount": "0"},
        {"amount": "-5000"},
        {"amount": "1e400"},
        {"amount": "NaN"},
        {"amount": "10000.001"},
        {"amount": 10**30},
        {"amount": [1]},
        {"amount": "10000\u0000"},
        {"amount": "20000", "bank_account_number": "999"},
    ],
)
async def test_bad_input_is_422_never_500(client, auth, database, world, body):
    sign_in(auth, world["publisher"])
    response = await client.post(URL, json=body)
    assert response.status_code == 422, response.text
    assert await withdrawals_of(database, world["publisher"]) == []


async def test_customers_and_staff_cannot_request(client, auth, world):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await _request(client, "20000")).status_code == 403
    auth.user = world["manager"]
    assert (await _request(client, "20000")).status_code == 403


async def test_cancel_returns_the_amount_and_only_once(client, auth, database, world):
    owner = world["publisher"]
    sign_in(auth, owner)
    made = (await _request(client, "100000")).json()["data"]
    done = await client.post(f"{URL}/cancel", json={"id": made["id"]})
    assert done.status_code == 200, done.text
    assert done.json()["data"]["status"] == "cancelled"
    kinds = sorted((t.type, t.amount) for t in await ledger_of(database, owner))
    assert ("withdrawal_reversal", Decimal(100_000)) in kinds
    balance = (await client.get("/api/publish/transactions")).json()["data"]["balance"]
    assert Decimal(balance) == Decimal(200_000)
    again = await client.post(f"{URL}/cancel", json={"id": made["id"]})
    assert (again.status_code, again.json()["code"]) == (409, "withdrawal_not_pending")
    assert len(await ledger_of(database, owner)) == 4
    messages = [n.message for n in await notes_to(database, owner.user_id)]
    assert "Penarikan Rp 100.000: dibatalkan" in messages
    [trail] = await audit_rows(database, "withdrawal")
    assert (trail.action, trail.actor_type, trail.id_user) == (
        "withdrawal.cancel",
        "publisher",
        owner.user_id,
    )


async def test_another_owners_request_is_404_on_cancel_and_absent_from_the_list(
    client, auth, database, world
):
    sign_in(auth, world["author"])
    made = (await _request(client, "30000")).json()["data"]
    sign_in(auth, world["publisher"])
    for ident in (made["id"], str(uuid.uuid4())):
        response = await client.post(f"{URL}/cancel", json={"id": ident})
        assert response.status_code == 404, response.text
    listed = await client.get(f"{URL}/list")
    assert listed.json()["data"] == []
    [row] = await withdrawals_of(database, world["author"])
    assert row.status == "pending"


async def test_the_own_list_pages_and_filters_in_two_statements(client, auth, database, world):
    owner = world["publisher"]
    async with database.sessionmaker() as db:
        for n, status in enumerate(["paid", "rejected", "cancelled", "paid"]):
            db.add(
                Withdrawal(
                    id_publisher=owner.id,
                    amount=Decimal(10_000 + n),
                    bank_account_number="1234567890",
                    bank_account_provider="BCA",
                    bank_account_name="X",
                    status=status,
                    reference="TRF" if status == "paid" else None,
                    note="no" if status == "rejected" else None,
                )
            )
        await db.commit()
    sign_in(auth, owner)
    async with count_statements(database) as log:
        response = await client.get(f"{URL}/list", params={"status": "paid", "limit": 1})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pagination"]["total"] == 2
    assert [row["status"] for row in body["data"]] == ["paid"]
    assert log.count == 2, log.statements


async def test_an_english_owner_is_told_in_english(client, auth, database):
    async with database.sessionmaker() as db:
        owner = await make_owner(db, "author", locale="en")
        await credit(db, owner, 30_000)
        await db.commit()
    sign_in(auth, owner)
    assert (await _request(client, "25000")).status_code == 200
    [note] = await notes_to(database, owner.user_id)
    assert note.message == "Withdrawal Rp 25.000: pending"
