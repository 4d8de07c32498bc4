"""Every CRUD action through the action URL and the REST routes."""

from fixture_apps.library import resources
from rlib.testing.paths import count_paths

BOTH_DB_PATHS = True  # each database test runs with the fast paths on and off


async def _create(lib, slug, **extra):
    response = await lib.http.post(
        "/api/library/novel", json={"title": slug.title(), "slug": slug, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_rest_create_then_get_list_update_delete(lib):
    novel = await _create(lib, "laskar", pages=10)
    assert novel["id_writer"] == str(lib.writers[0])
    assert "secret_note" not in novel
    got = (await lib.http.get(f"/api/library/novel/{novel['id']}")).json()["data"]
    assert got["writer"]["name"] == "Penulis 0"
    assert "bank_account" not in got["writer"]
    assert got["genres"] == []
    assert got["chapters"] == []
    listed = (await lib.http.get("/api/library/novel")).json()
    assert listed["pagination"] == {"page": 1, "limit": 20, "total": 1, "totalPages": 1}
    updated = await lib.http.patch(
        f"/api/library/novel/{novel['id']}", json={"pages": 12, "version": 1}
    )
    assert updated.json()["data"]["pages"] == 12
    assert updated.json()["data"]["version"] == 2
    deleted = await lib.http.delete(f"/api/library/novel/{novel['id']}")
    assert deleted.status_code == 200
    assert (await lib.http.get(f"/api/library/novel/{novel['id']}")).status_code == 404


async def test_creates_and_reads_take_the_fast_paths_only_when_on(lib, fast_path, backend):
    async with count_paths(lib.database) as paths:
        novel = await _create(lib, "laskar")
        got = await lib.http.get(f"/api/library/novel/{novel['id']}")
        listed = await lib.http.get("/api/library/novel")
    assert got.status_code == listed.status_code == 200
    on = 1 if fast_path else 0  # off: every statement ran on a session
    assert paths.raw_writes == on
    native = on if backend == "postgresql" else 0
    assert (paths.native_reads, paths.raw_reads) == (2 * native, 2 * on - 2 * native)


async def test_action_url_runs_every_verb(lib):
    post = lambda body: lib.http.post("/api/library/novel", json=body)  # noqa: E731
    created = (await post({"action": "create", "data": {"title": "A", "slug": "a"}})).json()["data"]
    ident = created["id"]
    assert (await post({"action": "get", "id": ident})).json()["data"]["slug"] == "a"
    assert (await post({"action": "list"})).json()["pagination"]["total"] == 1
    updated = await post({"action": "update", "id": ident, "data": {"title": "B"}, "version": 1})
    assert updated.json()["data"]["title"] == "B"
    assert (await post({"action": "list_ids"})).json()["data"] == [{"id": ident, "label": "B"}]
    assert (await post({"action": "delete", "id": ident})).status_code == 200
    trash = (await post({"action": "list_trash"})).json()
    assert [row["id"] for row in trash["data"]] == [ident]
    assert (await post({"action": "restore", "id": ident})).json()["data"]["id"] == ident
    assert (await post({"action": "bulk_delete", "ids": [ident]})).json()["data"] == {"deleted": 1}
    assert (await post({"action": "bulk_restore", "ids": [ident]})).json()["data"] == {
        "restored": 1
    }
    chapter = await post(
        {
            "action": "nested",
            "id": ident,
            "child": "chapters",
            "child_action": "create",
            "data": {"number": 1, "name": "Satu"},
        }
    )
    assert chapter.status_code == 201, chapter.text
    chapters = await post({"action": "nested", "id": ident, "child": "chapters"})
    assert [c["name"] for c in chapters.json()["data"]] == ["Satu"]


async def test_per_operation_urls_and_legacy_alias(lib):
    await _create(lib, "satu")
    assert (await lib.http.post("/api/library/novel/list", json={})).json()["pagination"][
        "total"
    ] == 1
    assert (await lib.http.post("/api/library/novel/search", json={"search": "sat"})).json()[
        "pagination"
    ]["total"] == 1
    created = await lib.http.post("/api/library/novel/create", json={"title": "Dua", "slug": "dua"})
    assert created.status_code == 201


async def test_nested_rest_routes(lib):
    novel = await _create(lib, "induk")
    base = f"/api/library/novel/{novel['id']}/chapters"
    first = (await lib.http.post(base, json={"number": 2, "name": "Dua"})).json()["data"]
    await lib.http.post(base, json={"number": 1, "name": "Satu"})
    listed = (await lib.http.get(base)).json()["data"]
    assert [c["number"] for c in listed] == [1, 2]
    assert (await lib.http.get(f"{base}/{first['id']}")).json()["data"]["name"] == "Dua"
    patched = await lib.http.patch(f"{base}/{first['id']}", json={"name": "Dua!"})
    assert patched.json()["data"]["name"] == "Dua!"
    assert (await lib.http.delete(f"{base}/{first['id']}")).status_code == 200
    assert len((await lib.http.get(base)).json()["data"]) == 1


async def test_hooks_run_in_their_phases(lib):
    await _create(lib, "kait")
    assert resources.HOOK_LOG == ["before", "after:kait", "committed:kait"]
    resources.HOOK_LOG.clear()
    response = await lib.http.post("/api/library/novel", json={"title": "x", "slug": "roll-back"})
    assert response.status_code == 409
    assert resources.HOOK_LOG == ["before", "after:roll-back"]
    assert (await lib.http.get("/api/library/novel")).json()["pagination"]["total"] == 1


async def test_every_url_form_of_create_answers_201(lib):
    base = "/api/library/novel"
    novel = {"title": "Judul", "slug": "satu"}
    for index, (url, body) in enumerate(
        [
            (base, {}),  # REST: a body without "action"
            (f"{base}/create", {}),  # the per-operation URL
            (base, {"action": "create", "data": {}}),  # the action URL, data in "data"
            (base, {"action": "create"}),  # the action URL, a flat body
        ]
    ):
        fields = {**novel, "slug": f"novel-{index}"}
        payload = {**body, "data": fields} if "data" in body else {**body, **fields}
        response = await lib.http.post(url, json=payload)
        assert response.status_code == 201, (url, payload, response.text)
        assert response.json()["status"] == 201  # the envelope agrees with the HTTP status
        assert response.json()["data"]["slug"] == f"novel-{index}"
    ident = response.json()["data"]["id"]
    chapter = {"number": 1, "name": "Satu"}
    nested = {"action": "nested", "id": ident, "child": "chapters", "child_action": "create"}
    for url, payload in [
        (f"{base}/{ident}/chapters", chapter),
        (base, {**nested, "data": chapter}),
        (base, {**nested, **chapter}),
    ]:
        response = await lib.http.post(url, json=payload)
        assert response.status_code == 201, (url, payload, response.text)
    listed = await lib.http.get(f"{base}/{ident}/chapters")
    assert len(listed.json()["data"]) == 3
