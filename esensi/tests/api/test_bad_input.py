"""Hostile input is a clear 4xx in the envelope on both databases, never a 500."""

import re
import uuid

import orjson
import pytest

from esensi.app import registry
from factories import login_as, login_staff, make_author, make_book
from rlib import HostsConfig
from rlib.auth.users import SessionUser


@pytest.fixture
def staff(auth):
    return login_staff(auth, "it")


WRONG_KEYS = [5, True, [1], {"a": 1}]
CFG_KEY_FORMS = [
    ("/api/internal/cfg/get", {}),
    ("/api/internal/cfg/update", {"value": "x"}),
    ("/api/internal/cfg/delete", {}),
    ("/api/internal/cfg", {"action": "get"}),
    ("/api/internal/cfg", {"action": "update", "value": "x"}),
    ("/api/internal/cfg", {"action": "delete"}),
]


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize("key", WRONG_KEYS)
@pytest.mark.parametrize(("url", "extra"), CFG_KEY_FORMS)
async def test_cfg_key_of_the_wrong_json_type_is_422(client, url, extra, key):
    response = await client.post(url, json={"key": key, **extra})
    body = response.json()
    assert response.status_code == 422, body
    assert body["errors"][0]["field"] == "id"
    assert body["errors"][0]["message"] == "Harus berupa teks"


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("page\x00about", "Tidak boleh mengandung karakter NUL"),
        ("k" * 129, "Maksimal 128 karakter"),
    ],
)
@pytest.mark.parametrize(("url", "extra"), CFG_KEY_FORMS)
async def test_cfg_key_with_nul_or_longer_than_the_column_is_422(client, url, extra, key, message):
    response = await client.post(
        url,
        content=orjson.dumps({"key": key, **extra}),
        headers={"content-type": "application/json"},
    )
    body = response.json()
    assert response.status_code == 422, body
    assert body["errors"][0]["message"] == message


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize("path", ["page%00about", "k" * 129])
async def test_cfg_path_key_with_nul_or_too_long_is_422(client, path):
    for method in ("get", "delete"):
        response = await getattr(client, method)(f"/api/internal/cfg/{path}")
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "validation_error"


@pytest.mark.usefixtures("staff")
async def test_cfg_search_longer_than_the_key_column_is_answered(client):
    response = await client.post("/api/internal/cfg/list", json={"search": "k" * 200})
    assert response.status_code == 200
    assert response.json()["data"] == []


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize(
    "url",
    [
        "/api/internal/mail/list?page=922337203685477581",
        "/api/internal/cfg?page=922337203685477581",
    ],
)
async def test_unbounded_page_number_is_422(client, url):
    response = await client.get(url)
    body = response.json()
    assert response.status_code == 422, body
    assert body["errors"][0]["field"] == "page"
    assert body["errors"][0]["message"] == "Maksimal 1000000"


@pytest.fixture
async def author(database, auth):
    async with database.sessionmaker() as db:
        found = await make_author(db, name="Ayu Utami")
        await db.commit()
    login_as(auth, uuid.uuid4(), author=found.id)
    return found


@pytest.mark.parametrize(
    "number", [b"1e308", b"99999999999999999999", b"-9223372036854775809", b"1e400"]
)
async def test_book_info_number_outside_64_bits_is_refused_at_validation(
    client, author, database, number
):
    created = await client.post(
        "/api/publish/book/create",
        content=b'{"name": "Saman", "slug": "saman", "info": {"isbn": ' + number + b"}}",
        headers={"content-type": "application/json"},
    )
    assert created.status_code in (400, 422), created.text
    listed = await client.get("/api/publish/book")
    assert listed.json()["data"] == []
    async with database.sessionmaker() as db:
        book = await make_book(db, author, slug="larung", status="draft")
        await db.commit()
    updated = await client.post(
        "/api/publish/book/update",
        content=b'{"id": "' + str(book.id).encode() + b'", "info": {"x": ' + number + b"}}",
        headers={"content-type": "application/json"},
    )
    assert updated.status_code in (400, 422), updated.text
    got = await client.get(f"/api/publish/book/{book.id}")
    assert got.json()["data"]["info"] in (None, {})


async def test_book_info_number_inside_64_bits_round_trips(client, author):
    created = await client.post(
        "/api/publish/book/create",
        content=b'{"name": "Saman", "slug": "saman", "info": {"n": 9223372036854775807}}',
        headers={"content-type": "application/json"},
    )
    assert created.status_code == 201, created.text
    assert created.json()["data"]["info"] == {"n": 9223372036854775807}


def _routes_with_path_parameters() -> list[tuple[str, str]]:
    routes = registry().routes(HostsConfig())
    return sorted({(r.method, r.path) for r in routes if "{" in r.path})


HOSTILE_SEGMENTS = ["a%00b", "k" * 300, "%C3%A9" * 40, "-1", "1e400", "null"]


@pytest.mark.parametrize(("method", "path"), _routes_with_path_parameters())
async def test_no_route_answers_500_to_a_hostile_path_parameter(client, auth, method, path):
    roles = ("it", "management", "support", "sales_and_marketing")
    auth.user = SessionUser(  # every staff role and an author: reaches every guarded route
        id=uuid.uuid4(),
        profiles={"internal": uuid.uuid4(), "author": uuid.uuid4()},
        roles=frozenset(f"internal:{role}" for role in roles),
    )
    for segment in HOSTILE_SEGMENTS:
        url = re.sub(r"\{[^}:]+\}", segment, path)
        url = re.sub(r"\{[^}]+:int\}", "99999999999999999999999", url)
        response = await client.request(method, url, json={} if method != "GET" else None)
        assert response.status_code < 500, (method, url[:80], response.text)
