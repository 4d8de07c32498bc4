"""Own profiles in the portal: publisher_detail, publisher_update, author_update, check_author.

The profile is always the caller's own (from the session); bank details change only with a
sign-in from the last ``fresh_s`` seconds (403 ``reauth_required`` otherwise, nothing written).
"""

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from esensi.models.author import Author
from esensi.models.publisher import Publisher
from factories import login_as, login_staff, make_author
from factories.publishers import make_publisher
from rlib.auth.users import SessionUser
from rlib.testing.statements import count_statements

FRESH = dt.timedelta(seconds=10)
STALE = dt.timedelta(minutes=6)  # past the 5-minute window
BANK = {
    "bank_account_number": "1234567890",
    "bank_account_provider": "BCA",
    "bank_account_name": "Sari Penerbit",
}


@pytest.fixture
async def profiles(database):
    async with database.sessionmaker() as db:
        found = {
            "author": await make_author(db, name="Sari", bank_account_number="9876543210"),
            "other_author": await make_author(db, name="Lain"),
            "publisher": await make_publisher(db, name="Bentang", bank_account_number="55554444"),
            "other_publisher": await make_publisher(db, name="Gramedia"),
        }
        await db.commit()
    return found


def sign_in(auth, ago: dt.timedelta | None = None, **profiles):
    at = None if ago is None else dt.datetime.now(dt.UTC) - ago
    auth.user = SessionUser(id=uuid.uuid4(), profiles=profiles, authenticated_at=at)


async def _row(database, model, ident) -> dict:
    async with database.sessionmaker() as db:
        row = (await db.execute(select(model.__table__).where(model.id == ident))).mappings().one()
    return dict(row)


async def test_publisher_detail_is_the_own_profile_without_the_account_number(
    client, auth, profiles
):
    sign_in(auth, publisher=profiles["publisher"].id)
    for response in (
        await client.get("/api/publish/publisher/detail"),
        await client.post("/api/publish/publisher/detail", json={"id": str(uuid.uuid4())}),
    ):
        body = response.json()
        assert response.status_code == 200, body
        assert body["data"]["name"] == "Bentang"
        assert body["data"]["bank_account"] == {
            "provider": None,
            "name": None,
            "number_last4": "4444",
        }
        assert "55554444" not in response.text


@pytest.mark.parametrize(
    "who", [{"author": uuid.uuid4()}, {"customer": uuid.uuid4()}, {"staff": True}, {}]
)
async def test_only_a_publisher_has_a_publisher_profile(client, auth, who):
    if "staff" in who:
        login_staff(auth, "management")
    elif who:
        login_as(auth, uuid.uuid4(), **who)
    expected = 401 if not who else 403
    assert (await client.get("/api/publish/publisher/detail")).status_code == expected
    body = {"name": "Baru"}
    assert (await client.post("/api/publish/publisher/update", json=body)).status_code == expected


async def test_publisher_update_changes_sent_fields_and_bumps_the_version(
    client, auth, profiles, database
):
    sign_in(auth, publisher=profiles["publisher"].id)
    change = {"description": "Penerbit buku anak", "website": "https://bentang.id", "version": 1}
    response = await client.post("/api/publish/publisher/update", json=change)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert (data["name"], data["description"], data["version"]) == (
        "Bentang",
        "Penerbit buku anak",
        2,
    )
    stale = await client.post("/api/publish/publisher/update", json={"name": "X", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    row = await _row(database, Publisher, profiles["publisher"].id)
    assert (row["name"], row["version"]) == ("Bentang", 2)
    other = await _row(database, Publisher, profiles["other_publisher"].id)
    assert other["description"] is None


async def test_a_publisher_name_taken_in_another_case_is_409(client, auth, profiles):
    sign_in(auth, publisher=profiles["publisher"].id)
    response = await client.post("/api/publish/publisher/update", json={"name": "GRAMEDIA"})
    assert response.status_code == 409, response.text


@pytest.mark.parametrize(
    "body",
    [
        {"id": str(uuid.uuid4())},
        {"id_user": str(uuid.uuid4())},
        {"created_at": "2026-01-01T00:00:00Z"},
        {"name": None},
        {"name": ""},
        {"name": 5},
        {"website": "x" * 513},
        {"version": 0},
        {"version": 10**30},
        {"bank_account_number": "12ab"},
        {"description": "a\x00b"},
    ],
)
async def test_bad_or_server_owned_publisher_fields_are_422(client, auth, profiles, database, body):
    sign_in(auth, FRESH, publisher=profiles["publisher"].id)
    before = await _row(database, Publisher, profiles["publisher"].id)
    response = await client.post("/api/publish/publisher/update", json=body)
    assert response.status_code == 422, response.text
    assert await _row(database, Publisher, profiles["publisher"].id) == before


@pytest.mark.parametrize(
    ("url", "kind", "model"),
    [
        ("/api/publish/publisher/update", "publisher", Publisher),
        ("/api/publish/author/update", "author", Author),
    ],
)
@pytest.mark.parametrize("field", sorted(BANK))
async def test_bank_fields_need_a_fresh_sign_in(
    client, auth, profiles, database, url, kind, model, field
):
    ident = profiles[kind].id
    before = await _row(database, model, ident)
    for ago in (None, STALE):
        sign_in(auth, ago, **{kind: ident})
        refused = await client.post(
            url, json={field: BANK[field]}, headers={"accept-language": "en"}
        )
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "reauth_required"
        assert await _row(database, model, ident) == before
    sign_in(auth, FRESH, **{kind: ident})
    done = await client.post(url, json={field: BANK[field]})
    assert done.status_code == 200, done.text
    assert (await _row(database, model, ident))[field] == BANK[field]


async def test_plain_fields_need_no_fresh_sign_in_and_the_number_is_never_answered(
    client, auth, profiles
):
    sign_in(auth, STALE, author=profiles["author"].id)
    response = await client.post(
        "/api/publish/author/update",
        json={"biography": "Penulis cerita anak", "social_media": {"ig": "https://ig.me/sari"}},
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["biography"] == "Penulis cerita anak"
    assert data["bank_account"]["number_last4"] == "3210"
    assert "9876543210" not in response.text
    sign_in(auth, FRESH, author=profiles["author"].id)
    cleared = await client.post(
        "/api/publish/author/update", json={"bank_account_number": None, "version": 2}
    )
    assert cleared.json()["data"]["bank_account"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"id": "x"},
        {"id_user": str(uuid.uuid4())},
        {"cfg": {}},
        {"version": "dua"},
        {"social_media": ["x"]},
        {"social_media": {f"k{i}": "u" for i in range(21)}},
        {"avatar": 1},
    ],
)
async def test_bad_or_server_owned_author_fields_are_422(client, auth, profiles, database, body):
    sign_in(auth, FRESH, author=profiles["author"].id)
    before = await _row(database, Author, profiles["author"].id)
    response = await client.post(
        "/api/publish/author/update", json=body, headers={"accept-language": "en"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["success"] is False
    assert await _row(database, Author, profiles["author"].id) == before


@pytest.mark.parametrize(
    "who",
    [{"publisher": "publisher"}, {"customer": None}, {"staff": None}],
)
async def test_author_update_is_for_authors_only_and_touches_no_one_else(
    client, auth, profiles, database, who
):
    if "staff" in who:
        login_staff(auth, "management")
    elif "customer" in who:
        login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    else:
        sign_in(auth, FRESH, publisher=profiles["publisher"].id)
    before = await _row(database, Author, profiles["author"].id)
    response = await client.post("/api/publish/author/update", json={"name": "Diambil"})
    assert response.status_code == 403
    assert await _row(database, Author, profiles["author"].id) == before


async def test_another_author_changes_only_their_own_profile(client, auth, profiles, database):
    before = await _row(database, Author, profiles["author"].id)
    sign_in(auth, FRESH, author=profiles["other_author"].id)
    response = await client.post("/api/publish/author/update", json={"name": "Nama Saya"})
    assert response.json()["data"]["id"] == str(profiles["other_author"].id)
    assert await _row(database, Author, profiles["author"].id) == before


async def test_check_author_answers_for_the_caller_only(client, auth, profiles):
    assert (await client.get("/api/publish/check-author")).status_code == 401
    login_as(auth, uuid.uuid4(), customer=uuid.uuid4())
    someone = {"userId": str(profiles["author"].id), "id_author": str(profiles["author"].id)}
    answer = (await client.post("/api/publish/check-author", json=someone)).json()
    assert answer["data"] == {"is_author": False, "id_author": None}
    login_as(auth, uuid.uuid4(), author=profiles["author"].id)
    answer = (await client.get("/api/publish/check-author")).json()
    assert answer["data"] == {"is_author": True, "id_author": str(profiles["author"].id)}
    login_staff(auth, "support")
    assert (await client.get("/api/publish/check-author")).json()["data"]["is_author"] is False


async def test_profile_reads_and_writes_cost_one_or_two_statements(
    client, auth, profiles, database
):
    sign_in(auth, publisher=profiles["publisher"].id)
    async with count_statements(database) as detail:
        assert (await client.get("/api/publish/publisher/detail")).status_code == 200
    assert detail.count == 1, detail.statements
    async with count_statements(database) as update:
        response = await client.post("/api/publish/publisher/update", json={"logo": "/l.webp"})
        assert response.status_code == 200
    assert update.count == 1, update.statements  # one conditional UPDATE … RETURNING
    async with count_statements(database) as check:
        assert (await client.get("/api/publish/check-author")).status_code == 200
    assert check.count == 0, check.statements  # answered from the session's profiles
