"""The named action URLs next to ``<url>/{id}`` (ADR f-crud-list-get).

Reads answer GET with query parameters at every URL they own (``/list``, ``/get``, an alias),
exactly like ``GET <url>``; a write's URL never reaches ``<url>/{id}``: another method is 405 in
the envelope. The dispatcher refuses a verb the resource was declared without by naming the
verbs it has (422), never with a 404 about a row.
"""

import pytest

BASE = "/api/library/novel"


async def _novels(lib, *slugs):
    made = []
    for slug in slugs:
        response = await lib.http.post(BASE, json={"title": slug.title(), "slug": slug})
        assert response.status_code == 201, response.text
        made.append(response.json()["data"])
    return made


async def test_get_list_lists_like_get_url_with_the_same_query(lib):
    await _novels(lib, "satu", "dua", "tiga")
    query = {"search": "t", "limit": 1, "page": 2, "order_by": "title"}
    plain = await lib.http.get(BASE, params=query)
    listed = await lib.http.get(f"{BASE}/list", params=query)
    assert listed.status_code == plain.status_code == 200, listed.text
    assert listed.json() == plain.json()
    assert listed.json()["pagination"] == {"page": 2, "limit": 1, "total": 2, "totalPages": 2}
    bad = await lib.http.get(f"{BASE}/list", params={"limit": "banyak"})
    assert bad.status_code == 422  # the list's own validation, not an id parsed from "list"
    assert bad.json()["errors"][0]["loc"][-1] == "limit"


async def test_get_of_the_get_url_and_of_an_alias_read_with_query_parameters(lib):
    (novel,) = await _novels(lib, "satu")
    got = await lib.http.get(f"{BASE}/get", params={"id": novel["id"]})
    assert got.status_code == 200, got.text
    assert got.json()["data"]["slug"] == "satu"
    searched = await lib.http.get(f"{BASE}/search", params={"search": "sat"})
    assert searched.json()["pagination"]["total"] == 1


async def test_nested_list_url_answers_get(lib):
    (novel,) = await _novels(lib, "induk")
    base = f"{BASE}/{novel['id']}/chapters"
    await lib.http.post(base, json={"number": 1, "name": "Satu"})
    listed = await lib.http.get(f"{base}/list")
    assert listed.status_code == 200, listed.text
    assert [c["name"] for c in listed.json()["data"]] == ["Satu"]


@pytest.mark.parametrize(
    ("method", "word"),
    [
        ("GET", "create"),
        ("GET", "update"),
        ("GET", "delete"),
        ("GET", "bulk-delete"),
        ("GET", "restore"),
        ("GET", "bulk-restore"),
        ("PATCH", "list"),
        ("DELETE", "list"),
        ("DELETE", "ids"),
        ("PATCH", "trash"),
    ],
)
async def test_a_write_url_is_never_read_as_an_id(lib, method, word):
    response = await lib.http.request(method, f"{BASE}/{word}")
    assert response.status_code == 405, response.text
    body = response.json()
    assert (body["success"], body["status"], body["code"]) == (False, 405, "method_not_allowed")


async def test_ids_and_trash_still_answer_get(lib):
    await _novels(lib, "satu")
    assert (await lib.http.get(f"{BASE}/ids")).status_code == 200
    assert (await lib.http.get(f"{BASE}/trash")).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"action": "create", "name": "x"}, {"action": "update", "id": 1, "name": "x"}, {"name": "x"}],
)
async def test_dispatcher_names_the_verbs_a_resource_has(lib, body):
    response = await lib.http.post(
        "/api/library/specimen", json=body, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["loc"][-1] == "action"
    assert "list, get, delete, list_ids" in error["message"]


async def test_nested_dispatch_names_the_child_verbs(lib):
    (novel,) = await _novels(lib, "induk")
    response = await lib.http.post(
        BASE,
        json={
            "action": "nested",
            "id": novel["id"],
            "child": "chapters",
            "child_action": "restore",
        },
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][-1] == "child_action"
