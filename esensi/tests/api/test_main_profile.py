"""The customer's own profile and its edit form, through HTTP."""

import uuid

from esensi.models.entitlement import TSalesDownload
from esensi.models.sales import TSales
from factories import login_as, make_author, make_user
from factories.store import make_customer, make_product
from rlib.testing.statements import count_statements


async def _customer(database, *, orders=0, carts=0, owned=0, revoked=0):
    async with database.sessionmaker() as db:
        user = await make_user(db)
        customer = await make_customer(db, id_user=user.id, name="Sari", whatsapp="+6281234567")
        other = await make_customer(db)
        author = await make_author(db)
        sale = None
        for status in ["paid"] * orders + ["cart"] * carts:
            sale = TSales(id_customer=customer.id, status=status)
            db.add(sale)
        db.add(TSales(id_customer=other.id, status="paid"))
        await db.flush()
        for n in range(owned + revoked):
            product = await make_product(db, author)
            db.add(
                TSalesDownload(
                    id_customer=customer.id,
                    id_product=product.id,
                    id_sales=sale.id,
                    revoked_at=sale.created_at if n >= owned else None,
                )
            )
        await db.commit()
    return user, customer


async def test_profile_shows_own_profile_with_counts_in_one_statement(client, database, auth):
    user, customer = await _customer(database, orders=2, carts=1, owned=2, revoked=1)
    login_as(auth, user.id, customer=customer.id)
    async with count_statements(database) as log:
        response = await client.get("/profile")
    assert log.count == 1, log.statements
    body = response.json()["data"]
    assert body["id"] == str(customer.id)
    assert body["name"] == "Sari"
    assert body["whatsapp"] == "+6281234567"
    assert body["version"] == 1
    assert body["counts"] == {"orders": 2, "library": 2}


async def test_profile_needs_a_customer(client, database, auth):
    assert (await client.get("/profile")).status_code == 401
    login_as(auth, uuid.uuid4(), author=uuid.uuid4())
    assert (await client.get("/profile")).status_code == 403
    assert (await client.post("/profile/edit", json={})).status_code == 403


async def test_profile_edit_reads_then_changes_name_and_whatsapp_at_version(client, database, auth):
    user, customer = await _customer(database)
    login_as(auth, user.id, customer=customer.id)
    read = (await client.get("/profile/edit")).json()["data"]
    assert read["version"] == 1
    async with count_statements(database) as log:
        changed = await client.post(
            "/profile/edit", json={"name": "  Sari Dewi ", "whatsapp": None, "version": 1}
        )
    assert changed.status_code == 200, changed.json()
    assert log.count == 2, log.statements  # the update, then the profile with its counts
    body = changed.json()["data"]
    assert (body["name"], body["whatsapp"], body["version"]) == ("Sari Dewi", None, 2)
    stale = await client.post("/profile/edit", json={"name": "Lain", "version": 1})
    assert stale.status_code == 409
    assert (await client.get("/profile")).json()["data"]["name"] == "Sari Dewi"


async def test_profile_edit_never_writes_on_get(client, database, auth):
    user, customer = await _customer(database)
    login_as(auth, user.id, customer=customer.id)
    response = await client.get("/profile/edit", params={"name": "Lain", "version": "1"})
    assert response.status_code == 200
    assert response.json()["data"]["name"] == "Sari"


async def test_profile_edit_refuses_bad_and_server_owned_fields(client, database, auth):
    user, customer = await _customer(database)
    login_as(auth, user.id, customer=customer.id)
    bad = [
        {"name": "Sari"},  # no version
        {"name": None, "version": 1},
        {"name": "", "version": 1},
        {"name": "x" * 256, "version": 1},
        {"name": "a\x00b", "version": 1},
        {"whatsapp": "0812", "version": 1},
        {"email": "lain@contoh.id", "version": 1},
        {"id": str(uuid.uuid4()), "name": "Sari", "version": 1},
        {"version": 10**20, "name": "Sari"},
        {"name": ["Sari"], "version": 1},
    ]
    for payload in bad:
        response = await client.post("/profile/edit", json=payload)
        assert response.status_code == 422, (payload, response.json())
        assert response.json()["success"] is False
    english = await client.post(
        "/profile/edit", json={"name": "Sari"}, headers={"Accept-Language": "en"}
    )
    assert english.json()["errors"][0]["loc"][-1] == "version"


async def test_profile_of_a_deleted_customer_is_404(client, database, auth):
    user, _ = await _customer(database)
    login_as(auth, user.id, customer=uuid.uuid4())
    response = await client.get("/profile")
    assert response.status_code == 404
    assert response.json()["message"] == "Pelanggan tidak ditemukan"
    edit = await client.post("/profile/edit", json={"name": "Lain", "version": 1})
    assert edit.status_code == 404
