"""Hostile input to the people endpoints is a clear 4xx on both databases, never a 500; every
route of the family answers only its staff roles."""

import uuid

import pytest
from people_helpers import insert, sign_in_staff

from esensi.models.author import Author
from factories import login_as, login_staff

API = "/api/internal"
ROLES = ("sales_and_marketing", "support", "management", "it")
ROUTES = ("list", "get", "create", "update", "delete", "search", "stats")
ALLOWED = {
    "affiliate": {"support", "management"},
    "author": {"support", "management"},
    "customer": {"support", "management"},
    "internal": {"management", "it"},
    "publisher": {"support", "management"},
}


@pytest.mark.parametrize("kind", sorted(ALLOWED))
async def test_every_route_of_the_family_answers_only_its_roles(client, auth, kind):
    urls = [f"{API}/{kind}/{route}" for route in ROUTES] + [f"{API}/{kind}"]
    if kind == "author":
        urls.append(f"{API}/author/bulk-update")
    for url in urls:
        auth.user = None
        assert (await client.post(url, json={})).status_code == 401, url
        login_as(auth, uuid.uuid4(), author=uuid.uuid4())
        assert (await client.post(url, json={})).status_code == 403, url
        for role in ROLES:
            login_staff(auth, role)
            status = (await client.post(url, json={})).status_code
            if role in ALLOWED[kind]:
                assert status not in (401, 403), (url, role)
            else:
                assert status == 403, (url, role)


BAD_CREATES = [
    {"name": "Nama\x00Nol"},
    {"name": 5},
    {"name": "x" * 256},
    {"name": ["a"]},
    {"name": "Ok", "cfg": {"n": 10**30}},
    {"name": "Ok", "social_media": "bukan objek"},
    {"name": "Ok", "id_user": "bukan-uuid"},
    {"name": "Ok", "avatar": "x" * 600},
]


@pytest.mark.parametrize("body", BAD_CREATES)
async def test_bad_create_bodies_are_422(client, auth, database, body):
    await sign_in_staff(database, auth, "management")
    response = await client.post(f"{API}/author/create", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["success"] is False


@pytest.mark.parametrize(
    "body",
    [
        {"id": "bukan-uuid"},
        {"id": 12},
        {"id": None},
        {"id": "\x00"},
    ],
)
@pytest.mark.parametrize("route", ["get", "update", "delete"])
async def test_bad_ids_are_4xx(client, auth, database, route, body):
    await sign_in_staff(database, auth, "management")
    response = await client.post(f"{API}/publisher/{route}", json=body)
    assert response.status_code in (404, 422), response.text


BAD_PAGING = [{"page": 10**12}, {"offset": 10**12}, {"limit": 101}, {"page": "satu"}]
BAD_SEARCH = [
    {"query": "x" * 201},
    {"query": "a\x00b"},
    {"has": {"books": "mungkin"}},
    {"sort_order": "sideways"},
]


@pytest.mark.parametrize(
    ("route", "body"),
    [("list", body) for body in BAD_PAGING]
    + [("search", body) for body in BAD_PAGING + BAD_SEARCH],
)
async def test_bad_list_and_search_input_is_422(client, auth, database, route, body):
    await sign_in_staff(database, auth, "support")
    response = await client.post(f"{API}/author/{route}", json=body)
    assert response.status_code == 422, response.text


async def test_a_nul_in_a_list_search_is_422_and_an_english_message_when_asked(
    client, auth, database
):
    await sign_in_staff(database, auth, "support")
    response = await client.post(
        f"{API}/customer/list", json={"search": "a\x00b"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    assert "NUL" in response.text


@pytest.mark.parametrize("field", ["created_at", "updated_at", "deleted_at", "id_author"])
async def test_server_owned_fields_in_an_update_are_422(client, auth, database, field):
    await sign_in_staff(database, auth, "management")
    row = Author(name="Tetap")
    await insert(database, row)
    response = await client.post(
        f"{API}/author/update", json={"id": str(row.id), "data": {field: "2026-01-01T00:00:00Z"}}
    )
    assert response.status_code == 422, response.text
    got = (await client.post(f"{API}/author/get", json={"id": str(row.id)})).json()["data"]
    assert got["version"] == 1
