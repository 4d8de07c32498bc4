"""/api/notif/*: the caller's own notifications only, newest first, filters, cursor, pushes."""

import uuid

import pytest
from notify_helpers import RecordingBus, committed_users, unit_scope

from esensi.services.notifications import notifier, send_notif
from factories import login_as


@pytest.fixture
def bus():
    recording = RecordingBus()
    notifier.attach(recording)
    yield recording
    notifier.detach(recording)


async def _seed(database, user_id, specs):
    ids = []
    async with unit_scope(database) as scope:
        for kind, message in specs:
            row = await send_notif(scope, user_id, {"notif": {"type": kind, "message": message}})
            ids.append(row.id)
    return ids


@pytest.fixture
async def two(database, auth):
    me, other = await committed_users(database, 2)
    mine = await _seed(database, me.id, [("message", "a"), ("like", "b"), ("message", "c")])
    theirs = await _seed(database, other.id, [("message", "rahasia")])
    login_as(auth, me.id, customer=uuid.uuid4())
    return me, mine, theirs


async def _data(client, url, body=None):
    response = await client.post(url, json=body or {})
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_list_is_own_newest_first(client, two):
    _, mine, _ = two
    rows = await _data(client, "/api/notif/list")
    assert [r["id"] for r in rows] == sorted(mine, reverse=True)
    assert [r["message"] for r in rows] == ["c", "b", "a"]


async def test_list_filters_and_cursor(client, two):
    _, mine, _ = two
    assert [r["message"] for r in await _data(client, "/api/notif/list", {"type": "like"})] == ["b"]
    page = await _data(client, "/api/notif/list", {"limit": 2})
    assert [r["message"] for r in page] == ["c", "b"]
    rest = await _data(client, "/api/notif/list", {"limit": 2, "before_id": page[-1]["id"]})
    assert [r["message"] for r in rest] == ["a"]
    await _data(client, "/api/notif/read", {"ids": [mine[0]]})
    unread = await _data(client, "/api/notif/list", {"status": "unread"})
    assert [r["message"] for r in unread] == ["c", "b"]


async def test_unread_count_read_and_read_all(client, two, bus):
    me, mine, theirs = two
    assert (await _data(client, "/api/notif/unread-count"))["count"] == 3
    bus.events.clear()
    # Another user's id is not found: nothing changes and nothing is announced for it.
    changed = await _data(client, "/api/notif/read", {"ids": [mine[1], *theirs]})
    assert changed == {"count": 1}
    assert bus.events == [{"k": "upd", "u": str(me.id), "ids": [mine[1]], "status": "read"}]
    assert (await _data(client, "/api/notif/unread-count"))["count"] == 2
    again = await _data(client, "/api/notif/read", {"ids": [mine[1]], "status": "unread"})
    assert again == {"count": 1}
    assert (await _data(client, "/api/notif/read-all"))["count"] == 3
    assert (await _data(client, "/api/notif/unread-count"))["count"] == 0
    assert bus.events[-1]["ids"] == sorted(mine)
    rows = await _data(client, "/api/notif/list")
    assert all(r["status"] == "read" and r["read_at"] for r in rows)


async def test_delete_own_only(client, two, auth, bus):
    me, mine, theirs = two
    bus.events.clear()
    assert await _data(client, "/api/notif/delete", {"ids": [mine[0], *theirs]}) == {"count": 1}
    assert bus.events == [{"k": "del", "u": str(me.id), "ids": [mine[0]]}]
    assert len(await _data(client, "/api/notif/list")) == 2


async def test_nothing_changed_announces_nothing(client, two, bus):
    _, _, theirs = two
    bus.events.clear()
    assert await _data(client, "/api/notif/delete", {"ids": theirs}) == {"count": 0}
    assert bus.events == []


async def test_bad_input_is_422_in_the_callers_language(client, two):
    response = await client.post("/api/notif/read", json={"ids": []})
    assert response.status_code == 422
    response = await client.post(
        "/api/notif/read", json={"ids": [1], "status": "maybe"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


async def test_anonymous_is_401(client):
    for url in ("list", "unread-count", "read-all"):
        assert (await client.post(f"/api/notif/{url}", json={})).status_code == 401
