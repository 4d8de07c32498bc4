"""Publisher ↔ author links: invite, accept or decline, remove, list; each scoped to its sides."""

import uuid

import pytest
from sqlalchemy import select

from esensi.models.notif import Notif
from esensi.models.publisher import PublisherAuthor
from factories import login_as, login_staff, make_author, make_user
from factories.publishers import link, make_publisher
from rlib.testing.statements import count_statements

BASE = "/api/publish/publisher-author"
SAME_ID = {"x-request-id": "links"}


@pytest.fixture
async def people(database):
    """Two authors and two publishers, each with a login."""
    async with database.sessionmaker() as db:
        found = {}
        for key in ("author", "other_author"):
            user = await make_user(db)
            found[key] = await make_author(db, name=f"Penulis {key}", id_user=user.id)
        for key in ("publisher", "other_publisher"):
            user = await make_user(db)
            found[key] = await make_publisher(db, name=f"Penerbit {key}", id_user=user.id)
        await db.commit()
    return found


def as_author(auth, author):
    login_as(auth, author.id_user, author=author.id)


def as_publisher(auth, publisher):
    login_as(auth, publisher.id_user, publisher=publisher.id)


async def _links(database) -> list[dict]:
    async with database.sessionmaker() as db:
        rows = await db.execute(select(PublisherAuthor.__table__).order_by(PublisherAuthor.id))
    return [dict(row) for row in rows.mappings()]


async def _notifs(database, user_id) -> list[Notif]:
    async with database.sessionmaker() as db:
        return list(await db.scalars(select(Notif).where(Notif.id_user == user_id)))


async def _invite(client, author) -> dict:
    response = await client.post(f"{BASE}/create", json={"author_id": str(author.id)})
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_an_invitation_is_invited_and_notifies_the_author(client, auth, people, database):
    as_publisher(auth, people["publisher"])
    data = await _invite(client, people["author"])
    assert data["status"] == "invited"
    assert data["publisher_name"] == "Penerbit publisher"
    assert data["author_name"] == "Penulis author"
    [notif] = await _notifs(database, people["author"].id_user)
    assert notif.type == "message"
    assert notif.message == "Penerbit publisher mengundang Anda bergabung sebagai penulis"
    assert notif.url == "/publisher"
    again = await client.post(f"{BASE}/create", json={"author_id": str(people["author"].id)})
    assert again.status_code == 409
    assert again.json()["code"] == "publisher_author_exists"


async def test_inviting_an_unknown_author_is_404(client, auth, people):
    as_publisher(auth, people["publisher"])
    response = await client.post(
        f"{BASE}/create", json={"author_id": str(uuid.uuid4())}, headers={"accept-language": "en"}
    )
    assert response.status_code == 404
    assert response.json()["message"] == "Author not found"


@pytest.mark.parametrize(
    "extra",
    [
        {"publisher_id": str(uuid.uuid4())},
        {"status": "active"},
        {"id": str(uuid.uuid4())},
        {"created_at": "2026-01-01T00:00:00Z"},
    ],
)
async def test_server_owned_fields_in_an_invitation_are_422(client, auth, people, database, extra):
    as_publisher(auth, people["publisher"])
    body = {"author_id": str(people["author"].id), **extra}
    assert (await client.post(f"{BASE}/create", json=body)).status_code == 422
    assert await _links(database) == []


@pytest.mark.parametrize("body", [{"author_id": 5}, {"author_id": "x\x00"}, {}, []])
async def test_malformed_invitations_are_422(client, auth, people, body):
    as_publisher(auth, people["publisher"])
    assert (await client.post(f"{BASE}/create", json=body)).status_code == 422


async def test_only_a_publisher_invites(client, auth, people):
    body = {"author_id": str(people["author"].id)}
    assert (await client.post(f"{BASE}/create", json=body)).status_code == 401
    for profiles in ({"author": people["other_author"].id}, {"customer": uuid.uuid4()}):
        login_as(auth, uuid.uuid4(), **profiles)
        assert (await client.post(f"{BASE}/create", json=body)).status_code == 403
    login_staff(auth, "management")
    assert (await client.post(f"{BASE}/create", json=body)).status_code == 403


@pytest.mark.parametrize(
    ("accept", "status", "verb"), [(True, "active", "menerima"), (False, "declined", "menolak")]
)
async def test_the_author_answers_and_the_publisher_is_notified(
    client, auth, people, database, accept, status, verb
):
    as_publisher(auth, people["publisher"])
    invited = await _invite(client, people["author"])
    as_author(auth, people["author"])
    answer = {"id": invited["id"], "accept": accept}
    response = await client.post(f"{BASE}/accept", json=answer)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["status"] == status
    [notif] = await _notifs(database, people["publisher"].id_user)
    assert notif.message == f"Penulis author {verb} undangan Anda"
    assert notif.url == "/authors"
    again = await client.post(f"{BASE}/accept", json=answer)
    assert again.status_code == 409
    assert again.json()["code"] == "publisher_author_not_invited"


async def test_an_invitation_to_someone_else_answers_like_a_missing_id(
    client, auth, people, database
):
    as_publisher(auth, people["publisher"])
    invited = await _invite(client, people["author"])
    as_author(auth, people["other_author"])
    before = await _links(database)
    foreign = await client.post(
        f"{BASE}/accept", json={"id": invited["id"], "accept": True}, headers=SAME_ID
    )
    missing = await client.post(
        f"{BASE}/accept", json={"id": str(uuid.uuid4()), "accept": True}, headers=SAME_ID
    )
    assert foreign.status_code == 404
    assert foreign.content == missing.content
    assert foreign.json()["message"] == "Tautan penerbit tidak ditemukan"
    assert await _links(database) == before
    as_publisher(auth, people["publisher"])  # the inviting publisher cannot accept for the author
    assert (
        await client.post(f"{BASE}/accept", json={"id": invited["id"], "accept": True})
    ).status_code == 403
    assert await _links(database) == before


@pytest.mark.parametrize("side", ["publisher", "author"])
async def test_either_side_removes_a_link(client, auth, people, database, side):
    async with database.sessionmaker() as db:
        row = await link(db, people["publisher"], people["author"])
        await db.commit()
    (as_publisher if side == "publisher" else as_author)(auth, people[side])
    response = await client.post(f"{BASE}/delete", json={"id": str(row.id)})
    assert response.status_code == 200, response.text
    assert await _links(database) == []


@pytest.mark.parametrize(
    "caller", ["other_publisher", "other_author", "customer", "staff", "nobody"]
)
async def test_nobody_else_removes_a_link(client, auth, people, database, caller):
    async with database.sessionmaker() as db:
        row = await link(db, people["publisher"], people["author"])
        await db.commit()
    expected = {"other_publisher": 404, "other_author": 404, "customer": 403, "staff": 403}
    if caller == "other_publisher":
        as_publisher(auth, people[caller])
    elif caller == "other_author":
        as_author(auth, people[caller])
    elif caller == "customer":
        login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    elif caller == "staff":
        login_staff(auth, "management", "support")
    before = await _links(database)
    response = await client.post(f"{BASE}/delete", json={"id": str(row.id)}, headers=SAME_ID)
    assert response.status_code == expected.get(caller, 401)
    if response.status_code == 404:
        twin = await client.post(f"{BASE}/delete", json={"id": str(uuid.uuid4())}, headers=SAME_ID)
        assert response.content == twin.content
    assert await _links(database) == before


async def test_each_side_lists_only_its_own_links_in_two_statements(client, auth, people, database):
    async with database.sessionmaker() as db:
        await link(db, people["publisher"], people["author"], "active")
        await link(db, people["publisher"], people["other_author"], "invited")
        await link(db, people["other_publisher"], people["author"], "declined")
        await link(db, people["other_publisher"], people["other_author"], "active")
        await db.commit()
    as_publisher(auth, people["publisher"])
    async with count_statements(database) as log:
        body = (await client.get(f"{BASE}/list")).json()
    assert log.count == 2, log.statements
    assert {row["author_name"] for row in body["data"]} == {
        "Penulis author",
        "Penulis other_author",
    }
    assert {row["publisher_name"] for row in body["data"]} == {"Penerbit publisher"}
    assert body["pagination"]["total"] == 2
    invited = (await client.post(f"{BASE}/list", json={"status": "invited"})).json()
    assert [row["author_name"] for row in invited["data"]] == ["Penulis other_author"]
    as_author(auth, people["author"])
    mine = (await client.get(f"{BASE}/list", params={"limit": 1})).json()
    assert mine["pagination"] == {"page": 1, "limit": 1, "total": 2, "totalPages": 2}
    both = (await client.get(f"{BASE}/list")).json()["data"]
    assert {row["publisher_name"] for row in both} == {
        "Penerbit publisher",
        "Penerbit other_publisher",
    }
    assert {row["author_name"] for row in both} == {"Penulis author"}


@pytest.mark.parametrize(
    "params", [{"status": "deleted"}, {"limit": 101}, {"page": 0}, {"page": 10**20}, {"x": 1}]
)
async def test_bad_list_parameters_are_422(client, auth, people, params):
    as_publisher(auth, people["publisher"])
    assert (await client.get(f"{BASE}/list", params=params)).status_code == 422


async def test_a_customer_or_staff_has_no_links_to_list(client, auth):
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    assert (await client.get(f"{BASE}/list")).status_code == 403
    login_staff(auth, "management")
    assert (await client.get(f"{BASE}/list")).status_code == 403
