"""A publisher's own promo codes through HTTP, on both databases: CRUD, scope, ranges, input."""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from esensi.models.promo import PromoCode
from factories import login_as, make_author
from factories.catalogue import make_publisher
from factories.commerce import make_promo
from rlib.testing.statements import count_statements

BASE = "/api/publish/promo-code"
SAME_ID = {"x-request-id": "scope-first"}
LATER = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()


def body(**changes):
    return {"code": "PENERBIT10", "discount_type": "percentage", "discount_value": "10", **changes}


@pytest.fixture
async def publishers(database, auth):
    async with database.sessionmaker() as db:
        mine, theirs = await make_publisher(db), await make_publisher(db, name="Lain")
        await db.commit()
    login_as(auth, uuid.uuid4(), publisher=mine.id)
    return mine, theirs


async def test_a_publisher_keeps_its_own_codes(client, database, publishers):
    mine, theirs = publishers
    named = await client.post(f"{BASE}/create", json=body(id_publisher=str(theirs.id)))
    assert named.status_code == 422  # the owner comes from the session, never the body
    created = await client.post(f"{BASE}/create", json=body(usage_limit=100, valid_to=LATER))
    assert created.status_code == 201, created.json()
    code = created.json()["data"]
    assert (code["id_publisher"], code["used_count"], code["status"]) == (str(mine.id), 0, "active")
    updated = await client.post(
        f"{BASE}/update", json={"id": code["id"], "version": 1, "discount_value": "15"}
    )
    assert updated.status_code == 200, updated.json()
    assert updated.json()["data"]["version"] == 2
    stale = await client.post(
        f"{BASE}/update", json={"id": code["id"], "version": 1, "status": "inactive"}
    )
    assert stale.status_code == 409
    listed = (await client.post(f"{BASE}/list", json={})).json()["data"]
    assert [row["code"] for row in listed] == ["PENERBIT10"]
    deleted = await client.post(f"{BASE}/delete", json={"id": code["id"]})
    assert deleted.status_code == 200
    async with database.sessionmaker() as db:
        assert await db.scalar(select(PromoCode.id)) is None


async def test_the_list_is_own_codes_in_one_statement(client, database, publishers):
    mine, theirs = publishers
    async with database.sessionmaker() as db:
        for n in range(5):
            await make_promo(db, code=f"MINE{n}", id_publisher=mine.id)
        await make_promo(db, code="THEIRS", id_publisher=theirs.id)
        await make_promo(db, code="STORE")
        await db.commit()
    async with count_statements(database) as log:
        response = await client.get(BASE)
    assert response.status_code == 200
    assert log.count == 2, log.statements  # the page and its count
    assert sorted(row["code"] for row in response.json()["data"]) == [f"MINE{n}" for n in range(5)]


def forms(ident):
    one = f"{BASE}/{ident}"
    change = {"discount_value": "20"}
    return [
        ("GET", one, None),
        ("POST", f"{BASE}/get", {"id": ident}),
        ("POST", BASE, {"action": "get", "id": ident}),
        ("PATCH", one, {**change, "version": 1}),
        ("POST", f"{BASE}/update", {"id": ident, "version": 1, **change}),
        ("POST", f"{BASE}/update", {"id": ident, "version": 1, "discount_value": "500"}),
        ("POST", BASE, {"action": "update", "id": ident, "data": change}),
        ("DELETE", one, None),
        ("POST", f"{BASE}/delete", {"id": ident}),
        ("POST", BASE, {"action": "delete", "id": ident}),
    ]


@pytest.mark.parametrize("owner", ["theirs", "store"])
async def test_a_code_not_the_callers_is_404_on_every_url(client, database, publishers, owner):
    _, theirs = publishers
    async with database.sessionmaker() as db:
        promo = await make_promo(db, id_publisher=theirs.id if owner == "theirs" else None)
        await db.commit()
    missing = str(uuid.uuid4())
    for form, twin in zip(forms(str(promo.id)), forms(missing), strict=True):
        method, url, payload = form
        response = await client.request(method, url, json=payload, headers=SAME_ID)
        expected = await client.request(twin[0], twin[1], json=twin[2], headers=SAME_ID)
        assert response.status_code == 404, (form, response.text)
        assert response.json()["message"] == "Kode promo tidak ditemukan"
        assert response.content == expected.content
    async with database.sessionmaker() as db:
        row = await db.get(PromoCode, promo.id)
    assert (row.version, row.discount_value) == (1, 10)


async def test_an_author_without_a_publisher_profile_is_refused(client, database, auth):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        await db.commit()
    login_as(auth, uuid.uuid4(), author=author.id)
    assert (await client.get(BASE)).status_code == 403
    assert (await client.post(f"{BASE}/create", json=body())).status_code == 403


async def test_codes_are_unique_in_any_letter_case(client, database, publishers):
    _, theirs = publishers
    async with database.sessionmaker() as db:
        await make_promo(db, code="HEMAT10", id_publisher=theirs.id)
        await db.commit()
    clash = await client.post(f"{BASE}/create", json=body(code="hemat10"))
    assert clash.status_code == 409, clash.json()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"discount_value": "100.01"}, "discount_value"),
        ({"discount_value": "0"}, "discount_value"),
        ({"discount_value": "-5"}, "discount_value"),
        ({"discount_value": "1e30"}, "discount_value"),
        ({"discount_value": 10**40}, "discount_value"),
        ({"discount_value": "abc"}, "discount_value"),
        ({"discount_type": "bogus"}, "discount_type"),
        ({"usage_limit": 0}, "usage_limit"),
        ({"usage_limit": 10**20}, "usage_limit"),
        ({"per_customer_limit": 0}, "per_customer_limit"),
        ({"valid_from": LATER, "valid_to": LATER}, "valid_to"),
        ({"valid_to": "2020-01-01T00:00:00+00:00"}, "valid_to"),
        ({"valid_to": "2030-01-01T00:00:00"}, "valid_to"),
        ({"code": "a b"}, "code"),
        ({"code": "X" * 65}, "code"),
        ({"code": 5}, "code"),
        ({"code": "AB\x00CD"}, "code"),
        ({"used_count": 5}, "used_count"),
        ({"min_subtotal": "1.001"}, "min_subtotal"),
    ],
)
async def test_out_of_range_or_malformed_values_are_422(
    client, database, publishers, changes, field
):
    response = await client.post(f"{BASE}/create", json=body(**changes))
    assert response.status_code == 422, response.json()
    assert field in {error["field"] for error in response.json()["errors"]}, response.json()


async def test_a_partial_update_is_checked_against_the_stored_row(client, database, publishers):
    mine, _ = publishers
    async with database.sessionmaker() as db:
        promo = await make_promo(
            db, id_publisher=mine.id, discount_type="fixed", discount_value=500
        )
        await db.commit()
    response = await client.post(
        f"{BASE}/update", json={"id": str(promo.id), "version": 1, "discount_type": "percentage"}
    )
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["field"] == "discount_value"
    early = await client.post(
        f"{BASE}/update",
        json={"id": str(promo.id), "version": 1, "valid_to": "2000-01-01T00:00:00+00:00"},
    )
    assert early.status_code == 422
    mass = await client.post(
        f"{BASE}/update", json={"id": str(promo.id), "version": 1, "used_count": 0}
    )
    assert mass.status_code == 422
