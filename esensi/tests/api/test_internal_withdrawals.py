"""The payout queue and ledger corrections (management only): paid needs a reference, rejected a
note and returns the amount; a stale version or a decided request is 409; every decision and
adjustment is audited and the owner is told."""

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

from rlib.testing.statements import count_statements

PROCESS = "/api/internal/withdrawal/process"
QUEUE = "/api/internal/withdrawal/list"
ADJUST = "/api/internal/ledger/adjust"
OTHER_STAFF = ["support", "it", "sales_and_marketing"]


@pytest.fixture
async def queue(client, auth, database):
    """A publisher and an author, each with one pending request made over HTTP."""
    async with database.sessionmaker() as db:
        publisher = await make_owner(db, "publisher", name="Bentang")
        author = await make_owner(db, "author", name="Sari")
        await credit(db, publisher, 200_000)
        await credit(db, author, 50_000)
        manager = await make_manager(db)
        await db.commit()
    made = {}
    for person, amount in ((publisher, "150000"), (author, "20000")):
        sign_in(auth, person)
        response = await client.post("/api/publish/withdrawal", json={"amount": amount})
        assert response.status_code == 200, response.text
        made[person.kind] = response.json()["data"]
    auth.user = manager
    return {"publisher": publisher, "author": author, "manager": manager, "made": made}


async def _decide(client, made, **body):
    payload = {"id": made["id"], "version": made["version"], **body}
    return await client.post(PROCESS, json=payload, headers={"accept-language": "en"})


async def test_paid_needs_a_reference_then_closes_the_request(client, database, queue):
    made = queue["made"]["publisher"]
    missing = await _decide(client, made, status="paid")
    assert missing.status_code == 422, missing.text
    assert "transfer reference" in missing.text
    done = await _decide(client, made, status="paid", reference="TRF-001")
    assert done.status_code == 200, done.text
    data = done.json()["data"]
    assert (data["status"], data["reference"], data["owner_name"]) == ("paid", "TRF-001", "Bentang")
    assert data["id_internal"] == str(queue["manager"].profiles["internal"])
    assert data["processed_at"] is not None
    assert data["bank_account_number"] == "1234567890"
    owner = queue["publisher"]
    assert sorted(t.type for t in await ledger_of(database, owner)) == ["sale", "withdrawal"]
    assert "Penarikan Rp 150.000: dibayarkan" in [
        n.message for n in await notes_to(database, owner.user_id)
    ]
    assert await mails_to(database, owner.email) == ["withdrawal-requested", "withdrawal-paid"]
    [audit] = await audit_rows(database, "withdrawal")
    assert (audit.action, audit.after["reference"]) == ("withdrawal.paid", "TRF-001")
    assert audit.id_user == queue["manager"].id


async def test_rejected_needs_a_note_and_returns_the_amount(client, database, queue):
    made = queue["made"]["author"]
    assert (await _decide(client, made, status="rejected", note="  ")).status_code == 422
    done = await _decide(client, made, status="rejected", note="Nama rekening tidak sesuai")
    assert done.status_code == 200, done.text
    owner = queue["author"]
    entries = sorted((t.type, t.amount) for t in await ledger_of(database, owner))
    assert ("withdrawal_reversal", Decimal(20_000)) in entries
    assert sum(amount for _, amount in entries) == Decimal(50_000)
    assert "withdrawal-rejected" in await mails_to(database, owner.email)
    [row] = await withdrawals_of(database, owner)
    assert (row.status, row.note) == ("rejected", "Nama rekening tidak sesuai")


async def test_a_stale_version_or_a_decided_request_is_409(client, database, queue):
    made = queue["made"]["publisher"]
    stale = await _decide(
        client, {**made, "version": made["version"] + 1}, status="paid", reference="X"
    )
    assert (stale.status_code, stale.json()["code"]) == (409, "withdrawal_not_pending")
    assert (await _decide(client, made, status="paid", reference="X")).status_code == 200
    again = await _decide(client, made, status="rejected", note="late")
    assert again.status_code == 409
    assert len(await audit_rows(database, "withdrawal")) == 1


async def test_an_unknown_request_is_404(client, queue):
    made = {"id": str(uuid.uuid4()), "version": 1}
    assert (await _decide(client, made, status="paid", reference="X")).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"status": "cancelled", "reference": "X"},
        {"status": "paid", "reference": "X" * 129},
        {"status": "paid", "reference": "X", "version": "one"},
        {"status": "paid", "reference": "X", "version": 10**20},
        {"status": "paid", "reference": "X", "amount": "1"},
        {"status": "paid", "reference": "X\u0000"},
    ],
)
async def test_bad_decisions_are_4xx_never_500(client, database, queue, body):
    made = queue["made"]["publisher"]
    response = await client.post(PROCESS, json={"id": made["id"], "version": 1, **body})
    assert 400 <= response.status_code < 500, response.text
    [row] = await withdrawals_of(database, queue["publisher"])
    assert row.status == "pending"


async def test_the_queue_lists_oldest_first_with_filters_in_two_statements(client, database, queue):
    async with count_statements(database) as log:
        response = await client.get(QUEUE, params={"status": "pending"})
    assert response.status_code == 200, response.text
    names = [row["owner_name"] for row in response.json()["data"]]
    assert names == ["Bentang", "Sari"]
    assert log.count == 2, log.statements
    only = await client.get(QUEUE, params={"id_author": str(queue["author"].id)})
    assert [row["owner_name"] for row in only.json()["data"]] == ["Sari"]


@pytest.mark.parametrize("role", OTHER_STAFF)
async def test_other_staff_are_403_everywhere(client, auth, database, queue, role):
    async with database.sessionmaker() as db:
        auth.user = await make_manager(db, **{f"is_{role}": True})
        await db.commit()
    made = queue["made"]["publisher"]
    calls = [
        client.get(QUEUE),
        _decide(client, made, status="paid", reference="X"),
        client.post(
            ADJUST, json={"id_author": str(queue["author"].id), "amount": "1", "reason": "x"}
        ),
    ]
    for call in calls:
        assert (await call).status_code == 403


async def test_an_adjustment_is_a_new_row_with_its_reason_and_audited(client, database, queue):
    owner = queue["author"]
    body = {"id_author": str(owner.id), "amount": "-2500.50", "reason": "Koreksi bagi hasil"}
    response = await client.post(ADJUST, json=body)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["type"], Decimal(data["amount"])) == ("adjustment", Decimal("-2500.50"))
    assert data["info"]["reason"] == "Koreksi bagi hasil"
    assert Decimal(data["balance"]) == Decimal("27499.50")
    [audit] = await audit_rows(database, "transaction")
    assert (audit.action, audit.entity_id) == ("ledger.adjust", data["id"])


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"amount": "100", "reason": "x"}, 422),
        ({"amount": "0", "reason": "x", "owner": "author"}, 422),
        ({"amount": "100", "reason": " ", "owner": "author"}, 422),
        ({"amount": "1000000000.01", "reason": "x", "owner": "author"}, 422),
        ({"amount": "1e400", "reason": "x", "owner": "author"}, 422),
        ({"amount": "100", "reason": "x", "owner": "both"}, 422),
        ({"amount": "100", "reason": "x", "id_author": "not-a-uuid"}, 422),
        ({"amount": "100", "reason": "x", "id_publisher": str(uuid.uuid4())}, 404),
    ],
)
async def test_bad_adjustments_are_refused_and_write_nothing(client, database, queue, body, status):
    body = dict(body)
    who = body.pop("owner", None)
    if who in ("author", "both"):
        body["id_author"] = str(queue["author"].id)
    if who == "both":
        body["id_publisher"] = str(queue["publisher"].id)
    response = await client.post(ADJUST, json=body)
    assert response.status_code == status, response.text
    assert len(await ledger_of(database, queue["author"])) == 2
