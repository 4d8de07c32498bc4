"""Errors, scoping, locking, trash and limits of the CRUD engine."""

import uuid

from fixture_apps.library import resources

BOTH_DB_PATHS = True  # each database test runs with the fast paths on and off


async def _novel(lib, slug, **extra):
    response = await lib.http.post(
        "/api/library/novel", json={"title": slug, "slug": slug, **extra}
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_another_owners_row_is_404_on_every_action(lib):
    novel = await _novel(lib, "milik-satu")
    lib.sign_in(1)
    ident = novel["id"]
    for method, url, body in [
        ("GET", f"/api/library/novel/{ident}", None),
        ("PATCH", f"/api/library/novel/{ident}", {"title": "x"}),
        ("DELETE", f"/api/library/novel/{ident}", None),
        ("POST", f"/api/library/novel/{ident}/restore", {}),
        ("GET", f"/api/library/novel/{ident}/chapters", None),
        ("POST", "/api/library/novel/bulk-delete", {"ids": [ident]}),
    ]:
        response = await lib.http.request(method, url, json=body)
        assert response.status_code == 404, (method, url, response.text)
        assert response.json()["message"] == "Novel tidak ditemukan"
    assert (await lib.http.get("/api/library/novel")).json()["pagination"]["total"] == 0
    assert (await lib.http.get("/api/library/novel/ids")).json()["data"] == []


async def test_server_owned_and_unknown_fields_are_422(lib):
    for extra in (
        {"id_writer": str(uuid.uuid4())},
        {"status": "published"},
        {"version": 5},
        {"deleted_at": "2026-01-01T00:00:00Z"},
        {"id": str(uuid.uuid4())},
    ):
        response = await lib.http.post(
            "/api/library/novel/create", json={"title": "t", "slug": "t", **extra}
        )
        assert response.status_code == 422, extra


async def test_update_strips_relation_keys_and_refuses_owner_change(lib):
    novel = await _novel(lib, "relasi")
    ok = await lib.http.patch(
        f"/api/library/novel/{novel['id']}",
        json={"title": "Baru", "writer": {"name": "x"}, "genres": []},
    )
    assert ok.status_code == 200
    bad = await lib.http.patch(
        f"/api/library/novel/{novel['id']}", json={"id_writer": str(lib.writers[1])}
    )
    assert bad.status_code == 422


async def test_stale_version_is_409_by_body_and_if_match(lib):
    novel = await _novel(lib, "versi")
    url = f"/api/library/novel/{novel['id']}"
    assert (
        await lib.http.patch(url, json={"pages": 1}, headers={"if-match": '"1"'})
    ).status_code == 200
    stale = await lib.http.patch(url, json={"pages": 2, "version": 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert (
        await lib.http.patch(url, json={"pages": 2}, headers={"if-match": "1"})
    ).status_code == 409
    assert (await lib.http.delete(url, headers={"if-match": "1"})).status_code == 409
    assert (await lib.http.delete(url, headers={"if-match": "2"})).status_code == 200


async def test_hard_delete_and_delete_blocked_by_a_foreign_key(lib):
    novel = await _novel(lib, "keras")
    gone = await lib.http.delete(f"/api/library/novel/{novel['id']}", params={"hard": "true"})
    assert gone.status_code == 200
    assert (await lib.http.get("/api/library/novel/trash")).json()["pagination"]["total"] == 0
    lib.sign_in(None)
    await lib.http.post("/api/library/writer/create", json={"name": "Baru"})
    lib.sign_in(0)
    await _novel(lib, "penghalang")
    lib.sign_in(None)
    blocked = await lib.http.delete(f"/api/library/writer/{lib.writers[0]}")
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "delete_blocked"
    assert "novel" in blocked.json()["message"]


async def test_restore_that_would_duplicate_a_live_slug_is_409(lib):
    first = await _novel(lib, "kembar")
    await lib.http.delete(f"/api/library/novel/{first['id']}")
    await _novel(lib, "kembar")
    response = await lib.http.post(f"/api/library/novel/{first['id']}/restore")
    assert response.status_code == 409
    assert response.json()["code"] == "unique_violation"


async def test_bulk_delete_is_all_or_nothing_and_limited(lib):
    kept = [await _novel(lib, f"b{i}") for i in range(2)]
    response = await lib.http.post(
        "/api/library/novel/bulk-delete", json={"ids": [kept[0]["id"], str(uuid.uuid4())]}
    )
    assert response.status_code == 404
    assert (await lib.http.get("/api/library/novel")).json()["pagination"]["total"] == 2
    too_many = await lib.http.post(
        "/api/library/novel/bulk-delete", json={"ids": [str(uuid.uuid4()) for _ in range(101)]}
    )
    assert too_many.status_code == 422
    assert not any(entry.startswith("bulk:") for entry in resources.HOOK_LOG)  # 404 came first
    both = [row["id"] for row in kept]
    assert (await lib.http.post("/api/library/novel/bulk-delete", json={"ids": both})).is_success
    assert resources.HOOK_LOG.count("bulk:2") == 1


async def test_list_refuses_unknown_filters_sorts_and_sensitive_columns(lib):
    for params in (
        {"secret_note": "x"},
        {"nope": "1"},
        {"status__gt": "a"},
        {"order_by": "secret_note"},
        {"order_by": "slug"},
        {"limit": "101"},
        {"pages__gte": "abc"},
    ):
        response = await lib.http.get("/api/library/novel", params=params)
        assert response.status_code == 422, params
    body = (await lib.http.get("/api/library/novel", params={"nope": "1"})).json()
    assert body["errors"][0]["message"] == "Filter tidak diizinkan: nope"


async def test_secret_columns_never_leave(lib):
    await _novel(lib, "rahasia", secret_note="kode-rahasia")
    for url in ("/api/library/novel", "/api/library/novel/ids"):
        assert "kode-rahasia" not in (await lib.http.get(url)).text
    lib.sign_in(None)
    assert "bank_account" not in (await lib.http.get("/api/library/writer")).text


async def test_unknown_action_is_422(lib):
    response = await lib.http.post("/api/library/novel", json={"action": "explode"})
    assert response.status_code == 422
