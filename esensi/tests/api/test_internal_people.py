"""The people resources of the back office: roles, writes, links, deletes, secrets, SQL cost."""

import uuid
from datetime import UTC, datetime

import pytest
from people_helpers import a_login, audit_actions, insert, sign_in_staff

from esensi.models.author import Author
from esensi.models.book import Book
from esensi.models.customer import Customer
from esensi.models.sales import TSales
from factories import login_as, login_staff
from rlib.testing.statements import count_statements

API = "/api/internal"
TYPES = ("affiliate", "author", "customer", "internal", "publisher")
ROLES = ("sales_and_marketing", "support", "management", "it")
ALLOWED = {
    "internal": {"management", "it"},
    **{kind: {"support", "management"} for kind in TYPES if kind != "internal"},
}
ENDPOINTS = ("list", "search", "stats")
BANK = {
    "bank_account_number": "1234567890",
    "bank_account_provider": "BCA",
    "bank_account_name": "Tere Liye",
}


@pytest.mark.parametrize("kind", TYPES)
async def test_each_type_admits_exactly_its_staff_roles(client, auth, kind):
    for endpoint in ENDPOINTS:
        url = f"{API}/{kind}/{endpoint}"
        auth.user = None
        assert (await client.post(url, json={})).status_code == 401
        login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
        assert (await client.post(url, json={})).status_code == 403
        for role in ROLES:
            login_staff(auth, role)
            expected = 200 if role in ALLOWED[kind] else 403
            assert (await client.post(url, json={})).status_code == expected, (url, role)


async def _create(client, kind, body, status=201):
    response = await client.post(f"{API}/{kind}/create", json=body)
    assert response.status_code == status, response.text
    return response.json()["data"]


async def test_author_create_get_update_with_audit_and_masked_bank(client, auth, database):
    await sign_in_staff(database, auth, "management")
    created = await _create(client, "author", {"name": "  Tere Liye ", **BANK})
    assert created["name"] == "Tere Liye"
    assert "bank_account_number" not in created
    full = (await client.post(f"{API}/author/get", json={"id": created["id"]})).json()["data"]
    assert full["bank"]["number"] == "1234567890"
    assert full["counts"]["books"] == 0
    await sign_in_staff(database, auth, "support")
    seen = (await client.get(f"{API}/author/{created['id']}")).json()["data"]
    assert seen["bank"] == {"number": "******7890", "provider": "BCA", "name": "Tere Liye"}
    updated = await client.post(
        f"{API}/author/update", json={"id": created["id"], "biography": "Penulis", "version": 1}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["data"]["version"] == 2
    assert await audit_actions(database, created["id"]) == ["author.create", "author.update"]


async def test_bank_fields_are_management_only(client, auth, database):
    await sign_in_staff(database, auth, "support")
    refused = await client.post(f"{API}/publisher/create", json={"name": "Gramedia", **BANK})
    assert refused.status_code == 403
    created = await _create(client, "publisher", {"name": "Gramedia"})
    changed = await client.post(
        f"{API}/publisher/update", json={"id": created["id"], "bank_account_number": "99999999"}
    )
    assert changed.status_code == 403
    await sign_in_staff(database, auth, "management")
    got = (await client.post(f"{API}/publisher/get", json={"id": created["id"]})).json()
    assert got["data"]["bank"]["number"] is None


MINIMAL = {
    "affiliate": {"name": "Mitra"},
    "author": {"name": "Penulis"},
    "customer": {"name": "Budi", "email": "budi@contoh.id"},
    "internal": {"name": "Staf", "is_it": True, "id_user": str(uuid.uuid4())},
    "publisher": {"name": "Penerbit"},
}
OWNED = {
    "id": str(uuid.uuid4()),
    "version": 3,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-01T00:00:00Z",
    "deleted_at": "2026-01-01T00:00:00Z",
    "id_author": str(uuid.uuid4()),
}


@pytest.mark.parametrize("field", sorted(OWNED))
@pytest.mark.parametrize("kind", TYPES)
async def test_server_owned_fields_are_422_and_write_nothing(client, auth, database, kind, field):
    await sign_in_staff(database, auth, "management")
    body = {**MINIMAL[kind], field: OWNED[field]}
    response = await client.post(f"{API}/{kind}/create", json=body)
    assert response.status_code == 422, response.text
    listed = (await client.post(f"{API}/{kind}/list", json={})).json()
    assert listed["pagination"]["total"] == 0


async def test_a_link_to_a_login_is_audited_and_checked(client, auth, database):
    await sign_in_staff(database, auth, "support")
    login = await a_login(database)
    created = await _create(client, "affiliate", {"name": "Mitra", "id_user": str(login)})
    assert created["id_user"] == str(login)
    assert await audit_actions(database, created["id"]) == [
        "affiliate.create",
        "user.profile_link",
    ]
    twice = await client.post(f"{API}/affiliate/create", json={"name": "X", "id_user": str(login)})
    assert twice.status_code == 409
    unknown = await client.post(
        f"{API}/affiliate/create", json={"name": "X", "id_user": str(uuid.uuid4())}
    )
    assert unknown.status_code == 422
    gone = await a_login(database, deleted_at=datetime.now(UTC))
    deleted = await client.post(f"{API}/affiliate/create", json={"name": "X", "id_user": str(gone)})
    assert deleted.status_code == 422
    assert deleted.json()["errors"][0]["field"] == "id_user"


async def test_author_delete_is_refused_naming_the_books(client, auth, database):
    await sign_in_staff(database, auth, "management")
    kept = Author(name="Dengan Buku")
    await insert(database, kept)
    await insert(database, Book(name="B", slug=f"b-{uuid.uuid4().hex[:6]}", id_author=kept.id))
    refused = await client.post(f"{API}/author/delete", json={"id": str(kept.id)})
    assert refused.status_code == 409
    assert refused.json()["code"] == "delete_blocked"
    assert "book" in refused.json()["message"]
    free = await _create(client, "author", {"name": "Tanpa Buku"})
    assert (await client.delete(f"{API}/author/{free['id']}")).status_code == 200
    assert (await client.post(f"{API}/author/get", json={"id": free["id"]})).status_code == 404
    assert await audit_actions(database, free["id"]) == ["author.create", "author.delete"]


async def test_customer_delete_is_soft_and_hard_only_without_orders(client, auth, database):
    await sign_in_staff(database, auth, "support")
    buyer = Customer(name="Pembeli", email="beli@contoh.id")
    await insert(database, buyer)
    await insert(database, TSales(id_customer=buyer.id, status="paid"))
    hard = await client.post(f"{API}/customer/delete", json={"id": str(buyer.id), "hard": True})
    assert hard.status_code == 409
    assert "t_sales" in hard.json()["message"]
    soft = await client.post(f"{API}/customer/delete", json={"id": str(buyer.id)})
    assert soft.status_code == 200
    trash = (await client.get(f"{API}/customer/trash")).json()["data"]
    assert [row["id"] for row in trash] == [str(buyer.id)]
    lone = await _create(client, "customer", {"name": "Sendiri", "email": "Sendiri@Contoh.id"})
    assert lone["email"] == "sendiri@contoh.id"
    gone = await client.post(f"{API}/customer/delete", json={"id": lone["id"], "hard": True})
    assert gone.status_code == 200
    assert (await client.get(f"{API}/customer/trash")).json()["pagination"]["total"] == 1


async def test_customer_restore_is_audited_one_row_per_customer(client, auth, database):
    await sign_in_staff(database, auth, "support")
    made = [
        await _create(client, "customer", {"name": f"P{n}", "email": f"p{n}@contoh.id"})
        for n in range(3)
    ]
    for row in made:
        assert (
            await client.post(f"{API}/customer/delete", json={"id": row["id"]})
        ).status_code == 200
    one = await client.post(f"{API}/customer/restore", json={"id": made[0]["id"]})
    assert one.status_code == 200
    ids = [row["id"] for row in made[1:]]
    bulk = await client.post(f"{API}/customer/bulk-restore", json={"ids": ids})
    assert bulk.status_code == 200, bulk.text
    for row in made:
        actions = await audit_actions(database, row["id"])
        assert actions == ["customer.create", "customer.delete", "customer.restore"]


async def test_customer_email_is_unique_among_live_customers(client, auth, database):
    await sign_in_staff(database, auth, "support")
    await _create(client, "customer", {"name": "A", "email": "sama@contoh.id"})
    again = await client.post(
        f"{API}/customer/create", json={"name": "B", "email": "SAMA@contoh.id"}
    )
    assert again.status_code == 409


async def test_staff_profiles_need_a_login_and_a_role(client, auth, database):
    await sign_in_staff(database, auth, "it")
    login = await a_login(database)
    no_role = await client.post(
        f"{API}/internal/create", json={"name": "Staf", "id_user": str(login)}
    )
    assert no_role.status_code == 422
    no_login = await client.post(f"{API}/internal/create", json={"name": "Staf", "is_it": True})
    assert no_login.status_code == 422
    staff = await _create(
        client, "internal", {"name": "Staf", "id_user": str(login), "is_support": True}
    )
    cleared = await client.post(
        f"{API}/internal/update", json={"id": staff["id"], "is_support": False}
    )
    assert cleared.status_code == 422
    listed = await client.get(f"{API}/internal", params={"is_support": "true"})
    assert [row["id"] for row in listed.json()["data"]] == [staff["id"]]


async def test_both_paging_styles(client, auth, database):
    await sign_in_staff(database, auth, "management")
    for index in range(5):
        await _create(client, "publisher", {"name": f"Penerbit {index}"})
    by_page = (await client.post(f"{API}/publisher/list", json={"page": 2, "limit": 2})).json()
    by_offset = (await client.post(f"{API}/publisher/list", json={"offset": 2, "limit": 2})).json()
    assert by_offset["data"] == by_page["data"]
    assert by_offset["pagination"] == {"page": 2, "limit": 2, "total": 5, "totalPages": 3}
    searched = (await client.post(f"{API}/publisher/search", json={"offset": 4, "limit": 2})).json()
    assert searched["pagination"] == {"page": 3, "limit": 2, "total": 5, "totalPages": 3}
    assert len(searched["data"]) == 1
    huge = await client.post(f"{API}/publisher/list", json={"limit": 10_000})
    assert huge.status_code == 422


async def test_no_secret_in_any_read(client, auth, database):
    await sign_in_staff(database, auth, "support")
    login = await a_login(database)
    created = await _create(client, "author", {"name": "Rahasia", "id_user": str(login)})
    for response in (
        await client.post(f"{API}/author/list", json={}),
        await client.post(f"{API}/author/search", json={}),
        await client.post(f"{API}/author/get", json={"id": created["id"]}),
    ):
        text = response.text
        assert response.status_code == 200
        for secret in ("password", "token", "secret", "bank_account", "1234567890"):
            assert secret not in text
    sorted_by_bank = await client.post(
        f"{API}/author/list", json={"order_by": "bank_account_number"}
    )
    assert sorted_by_bank.status_code == 422


async def test_reads_cost_a_fixed_number_of_statements(client, auth, database):
    await sign_in_staff(database, auth, "management")
    authors = [Author(name=f"Penulis {i}") for i in range(6)]
    await insert(database, *authors)
    await insert(
        database,
        *(Book(name="B", slug=f"b-{i}", id_author=a.id) for i, a in enumerate(authors)),
    )
    async with count_statements(database) as log:
        listed = await client.post(f"{API}/author/list", json={"limit": 5})
    assert len(listed.json()["data"]) == 5
    assert log.count == 2, log.statements  # rows, count
    async with count_statements(database) as log:
        searched = await client.post(f"{API}/author/search", json={"sort_by": "books"})
    assert [row["counts"]["books"] for row in searched.json()["data"]] == [1] * 6
    assert log.count == 2, log.statements  # rows with counts, total
    async with count_statements(database) as log:
        got = await client.post(f"{API}/author/get", json={"id": str(authors[0].id)})
    assert got.json()["data"]["counts"]["books"] == 1
    assert log.count == 2, log.statements  # row, counts and bank


async def test_only_management_grants_management_and_nobody_deletes_themselves(
    client, auth, database
):
    me = await sign_in_staff(database, auth, "it")
    login = await a_login(database)
    body = {"name": "Bos", "id_user": str(login), "is_management": True}
    assert (await client.post(f"{API}/internal/create", json=body)).status_code == 403
    staff = await _create(client, "internal", {**body, "is_management": False, "is_it": True})
    raised = await client.post(
        f"{API}/internal/update", json={"id": staff["id"], "is_management": True}
    )
    assert raised.status_code == 403
    mine = await _create(client, "internal", {"name": "Saya", "id_user": str(me.id), "is_it": True})
    own = await client.post(f"{API}/internal/delete", json={"id": mine["id"]})
    assert own.status_code == 409
    assert own.json()["code"] == "own_staff_profile"
    assert (
        await client.post(f"{API}/internal/delete", json={"id": staff["id"]})
    ).status_code == 200
    await sign_in_staff(database, auth, "management")
    granted = await client.post(
        f"{API}/internal/update", json={"id": mine["id"], "is_management": True}
    )
    assert granted.status_code == 200
    assert await audit_actions(database, mine["id"]) == [
        "internal.create",
        "user.profile_link",
        "internal.update",
    ]


async def test_relinking_and_unlinking_a_login_are_audited(client, auth, database):
    await sign_in_staff(database, auth, "support")
    first, second = await a_login(database), await a_login(database)
    created = await _create(client, "publisher", {"name": "Mizan", "id_user": str(first)})
    for target in (str(second), None):
        moved = await client.post(
            f"{API}/publisher/update", json={"id": created["id"], "id_user": target}
        )
        assert moved.status_code == 200, moved.text
        assert moved.json()["data"]["id_user"] == target
    assert await audit_actions(database, created["id"]) == [
        "publisher.create",
        "user.profile_link",
        "publisher.update",
        "user.profile_link",
        "publisher.update",
        "user.profile_unlink",
    ]
