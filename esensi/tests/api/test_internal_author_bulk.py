"""author_bulk_update: up to 100 authors, every item validated, all or nothing, set-based."""

import uuid

import pytest
from people_helpers import audit_actions, insert, sign_in_staff
from sqlalchemy import select

from esensi.models.author import Author
from factories import login_staff
from rlib.testing.statements import count_statements

URL = "/api/internal/author/bulk-update"


@pytest.fixture
async def authors(database):
    rows = [Author(name=f"Penulis {i}") for i in range(4)]
    await insert(database, *rows)
    return rows


async def _names(database):
    unit = database.unit()
    try:
        rows = await unit.session.execute(select(Author.name, Author.version).order_by(Author.name))
        return [tuple(row) for row in rows]
    finally:
        await unit.close()


@pytest.mark.parametrize("role", ["sales_and_marketing", "it"])
async def test_other_staff_roles_are_403(client, auth, role):
    login_staff(auth, role)
    response = await client.post(URL, json={"authors": [{"id": str(uuid.uuid4())}]})
    assert response.status_code == 403


async def test_every_author_is_updated_in_a_fixed_number_of_statements(
    client, auth, database, authors
):
    await sign_in_staff(database, auth, "support")
    body = {
        "authors": [
            {"id": str(a.id), "name": f"Baru {i}", "version": 1} for i, a in enumerate(authors[:3])
        ]
        + [{"id": str(authors[3].id), "biography": "Bio", "cfg": {"tema": "gelap"}}]
    }
    async with count_statements(database) as log:
        response = await client.post(URL, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["updated"] == 4
    assert log.count == 3, log.statements  # one locked read, one UPDATE, one audit INSERT
    assert await _names(database) == [
        ("Baru 0", 2),
        ("Baru 1", 2),
        ("Baru 2", 2),
        ("Penulis 3", 2),
    ]
    assert await audit_actions(database, authors[3].id) == ["author.update"]


async def test_one_bad_item_changes_nothing_and_names_every_error(client, auth, database, authors):
    await sign_in_staff(database, auth, "management")
    body = {
        "authors": [
            {"id": str(authors[0].id), "name": "Baik"},
            {"id": str(authors[1].id), "name": ""},
            {"id": str(authors[2].id), "status": "published"},
            {"id": str(authors[0].id), "name": "Lagi"},
        ]
    }
    response = await client.post(URL, json=body)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"authors.1.name", "authors.2.status", "authors.3.id"}
    assert [name for name, _ in await _names(database)] == [f"Penulis {i}" for i in range(4)]


async def test_a_missing_author_or_stale_version_rolls_everything_back(
    client, auth, database, authors
):
    await sign_in_staff(database, auth, "support")
    missing = await client.post(
        URL,
        json={
            "authors": [
                {"id": str(authors[0].id), "name": "Baik"},
                {"id": str(uuid.uuid4()), "name": "Hantu"},
            ]
        },
    )
    assert missing.status_code == 404
    stale = await client.post(
        URL,
        json={
            "authors": [
                {"id": str(authors[0].id), "name": "Baik"},
                {"id": str(authors[1].id), "name": "Lama", "version": 7},
            ]
        },
    )
    assert stale.status_code == 409
    assert [name for name, _ in await _names(database)] == [f"Penulis {i}" for i in range(4)]
    assert await audit_actions(database, authors[0].id) == []


async def test_bank_fields_and_more_than_100_items_are_422(client, auth, database, authors):
    await sign_in_staff(database, auth, "management")
    bank = await client.post(
        URL, json={"authors": [{"id": str(authors[0].id), "bank_account_number": "123"}]}
    )
    assert bank.status_code == 422
    many = [{"id": str(uuid.uuid4())} for _ in range(101)]
    assert (await client.post(URL, json={"authors": many})).status_code == 422
    assert (await client.post(URL, json={"authors": []})).status_code == 422
    assert (await client.post(URL, json={"authors": ["x"]})).status_code == 422
