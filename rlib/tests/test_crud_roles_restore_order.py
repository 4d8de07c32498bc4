"""``action_auth`` widens one action's own URLs; ``restore.after`` sees the restored keys;
includes keep their relationship's order."""

import pytest

from fixture_apps.library import curated
from fixture_apps.library.models import Novel
from rlib.crud import crud_handler


async def test_a_widened_list_admits_writers_and_nothing_else_does(lib):
    assert (await lib.http.get("/api/library/curated")).status_code == 200
    assert (await lib.http.post("/api/library/curated/list", json={})).status_code == 200
    body = {"title": "Laskar", "slug": "laskar", "id_writer": str(lib.writers[0])}
    assert (await lib.http.post("/api/library/curated/create", json=body)).status_code == 403
    # The dispatcher keeps the resource's own auth, whatever action it is asked for.
    listed = await lib.http.post("/api/library/curated", json={"action": "list"})
    assert listed.status_code == 403
    assert (await lib.http.get("/api/library/curated/trash")).status_code == 403


async def test_restore_after_hook_gets_the_restored_keys(lib):
    lib.sign_in(None)
    curated.RESTORED.clear()
    body = {"title": "Laskar", "slug": "laskar", "id_writer": str(lib.writers[0])}
    created = await lib.http.post("/api/library/curated/create", json=body)
    ident = created.json()["data"]["id"]
    assert (await lib.http.delete(f"/api/library/curated/{ident}")).status_code == 200
    assert (await lib.http.post(f"/api/library/curated/{ident}/restore")).status_code == 200
    assert [[str(key) for key in keys] for keys in curated.RESTORED] == [[ident]]
    missing = await lib.http.post(f"/api/library/curated/{ident}/restore")
    assert missing.status_code == 404
    assert len(curated.RESTORED) == 1


def test_action_auth_is_checked_at_declaration():
    with pytest.raises(TypeError, match="unknown actions"):
        crud_handler(Novel, {"auth": "staff", "action_auth": {"lsit": "writer"}})
    with pytest.raises(TypeError, match="explicit auth"):
        crud_handler(Novel, {"action_auth": {"list": "writer"}})


async def test_an_include_follows_the_relationships_order_by(lib):
    """``Novel.chapters`` is ordered by ``Chapter.number``: the include is too, not by key."""
    created = await lib.http.post("/api/library/novel", json={"title": "Urut", "slug": "urut"})
    novel = created.json()["data"]["id"]
    base = f"/api/library/novel/{novel}/chapters"
    for number in (3, 1, 2):
        await lib.http.post(base, json={"number": number, "name": f"Bab {number}"})
    got = (await lib.http.get(f"/api/library/novel/{novel}")).json()["data"]
    assert [chapter["number"] for chapter in got["chapters"]] == [1, 2, 3]
