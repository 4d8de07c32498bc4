"""notif_list / notif_update / notif_delete: support and management over any user's
notifications; status is the only field staff change."""

import pytest
from review_helpers import sign_in_staff
from sqlalchemy import select

from esensi.models.audit import AuditLog
from esensi.models.notif import Notif
from factories import make_user
from rlib.testing.statements import count_statements


@pytest.fixture
async def notes(database):
    """Two users: Ani with two notifications (one read), Budi with one."""
    async with database.sessionmaker() as db:
        ani = await make_user(db, name="Ani")
        budi = await make_user(db, name="Budi")
        rows = [
            Notif(id_user=ani.id, type="message", message="Halo Ani"),
            Notif(id_user=ani.id, type="book-approve", message="Buku terbit", status="read"),
            Notif(id_user=budi.id, type="announcement", message="Promo"),
        ]
        db.add_all(rows)
        await db.commit()
        return ani.id, budi.id, [row.id for row in rows]


async def _stored(database):
    async with database.sessionmaker() as db:
        return {row.id: row for row in await db.scalars(select(Notif))}


async def test_list_is_every_users_newest_first_with_filters(client, auth, database, notes):
    ani, _, ids = notes
    await sign_in_staff(database, auth, "support")
    body = (await client.get("/api/internal/notif")).json()
    assert [row["id"] for row in body["data"]] == list(reversed(ids))
    assert body["pagination"]["total"] == 3
    mine = await client.post("/api/internal/notif/list", json={"id_user": str(ani)})
    assert [row["id"] for row in mine.json()["data"]] == [ids[1], ids[0]]
    unread = await client.get(
        "/api/internal/notif", params={"id_user": str(ani), "status": "unread"}
    )
    assert [row["id"] for row in unread.json()["data"]] == [ids[0]]
    typed = await client.get("/api/internal/notif", params={"type__in": "message,announcement"})
    assert typed.status_code == 200, typed.text
    assert {row["id"] for row in typed.json()["data"]} == {ids[0], ids[2]}


async def test_list_refuses_unknown_filters_and_costs_two_statements(client, auth, database, notes):
    await sign_in_staff(database, auth, "management")
    assert (await client.get("/api/internal/notif", params={"colour": "x"})).status_code == 422
    async with count_statements(database) as log:
        body = (await client.get("/api/internal/notif", params={"limit": 2})).json()
    assert len(body["data"]) == 2
    assert log.count == 2, log.statements


async def test_update_changes_the_status_only(client, auth, database, notes):
    _, _, ids = notes
    await sign_in_staff(database, auth, "support")
    read = await client.post("/api/internal/notif/update", json={"id": ids[0], "status": "read"})
    assert read.status_code == 200, read.text
    stored = await _stored(database)
    assert stored[ids[0]].status == "read"
    assert stored[ids[0]].read_at is not None
    again = await client.patch(f"/api/internal/notif/{ids[0]}", json={"status": "unread"})
    assert again.status_code == 200
    stored = await _stored(database)
    assert (stored[ids[0]].status, stored[ids[0]].read_at) == ("unread", None)
    for body in ({"message": "Diubah"}, {"status": "hidden"}, {"id_user": str(notes[1])}):
        refused = await client.post("/api/internal/notif/update", json={"id": ids[0], **body})
        assert refused.status_code == 422
    assert (await _stored(database))[ids[0]].message == "Halo Ani"


async def test_unknown_notification_is_404(client, auth, database, notes):
    await sign_in_staff(database, auth, "support")
    for url, body in (
        ("/api/internal/notif/update", {"id": 999_999, "status": "read"}),
        ("/api/internal/notif/delete", {"id": 999_999}),
        ("/api/internal/notif/get", {"id": 999_999}),
    ):
        response = await client.post(url, json=body)
        assert response.status_code == 404
        assert response.json()["message"] == "Notifikasi tidak ditemukan"


async def test_delete_by_id_and_in_bulk_all_or_none(client, auth, database, notes):
    _, _, ids = notes
    await sign_in_staff(database, auth, "management")
    assert (await client.post("/api/internal/notif/delete", json={"id": ids[0]})).status_code == 200
    assert set(await _stored(database)) == {ids[1], ids[2]}
    partial = await client.post("/api/internal/notif/bulk-delete", json={"ids": [ids[1], 999_999]})
    assert partial.status_code == 404
    assert set(await _stored(database)) == {ids[1], ids[2]}
    both = await client.post("/api/internal/notif/bulk-delete", json={"ids": [ids[1], ids[2]]})
    assert both.json()["data"] == {"deleted": 2}
    assert await _stored(database) == {}


@pytest.mark.parametrize("roles", [("it",), ("sales_and_marketing",)])
async def test_other_staff_are_403(client, auth, database, notes, roles):
    _, _, ids = notes
    await sign_in_staff(database, auth, *roles)
    assert (await client.get("/api/internal/notif")).status_code == 403
    response = await client.post("/api/internal/notif/delete", json={"id": ids[0]})
    assert response.status_code == 403
    assert ids[0] in await _stored(database)


async def test_anonymous_is_401(client, notes):
    assert (await client.get("/api/internal/notif")).status_code == 401


async def _trail(database):
    async with database.sessionmaker() as db:
        rows = await db.scalars(select(AuditLog).order_by(AuditLog.id))
        return [(row.action, row.entity_id, row.before, row.after, row.id_user) for row in rows]


async def test_every_staff_change_is_audited_in_its_transaction(client, auth, database, notes):
    ani, budi, ids = notes
    staff = await sign_in_staff(database, auth, "support")
    await client.post("/api/internal/notif/update", json={"id": ids[0], "status": "read"})
    await client.post("/api/internal/notif/delete", json={"id": ids[1]})
    await client.post("/api/internal/notif/bulk-delete", json={"ids": [ids[2], 999_999]})
    trail = await _trail(database)
    assert trail == [
        (
            "notif.update",
            str(ids[0]),
            {"id_user": str(ani), "type": "message", "status": "unread"},
            {"id_user": str(ani), "type": "message", "status": "read"},
            staff.id,
        ),
        (
            "notif.delete",
            str(ids[1]),
            {"id_user": str(ani), "type": "book-approve", "status": "read"},
            None,
            staff.id,
        ),
    ]
    assert ids[2] in await _stored(database)  # the failed bulk left neither rows nor audit
    assert budi is not None


async def test_announcements_are_audited(client, auth, database, notes):
    ani, budi, _ = notes
    staff = await sign_in_staff(database, auth, "management")
    body = {"user_ids": [str(ani), str(budi)], "message": "Libur nasional"}
    response = await client.post("/api/internal/notif/create", json=body)
    assert response.json()["data"] == {"count": 2}
    [row] = await _trail(database)
    assert row == (
        "notif.create",
        "users:2",
        None,
        {"type": "announcement", "message": "Libur nasional", "count": 2},
        staff.id,
    )


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/internal/notif/update", {"id": 10**30, "status": "read"}),
        ("POST", "/api/internal/notif/update", {"id": "satu", "status": "read"}),
        ("POST", "/api/internal/notif/delete", {"id": -(10**20)}),
        ("POST", "/api/internal/notif/bulk-delete", {"ids": [10**25]}),
        ("GET", "/api/internal/notif/99999999999999999999999", None),
        ("POST", "/api/internal/notif/list", {"id_user": "\u0000"}),
        ("POST", "/api/internal/notif/list", {"page": 10**12}),
        ("POST", "/api/internal/notif/list", {"search": "a\u0000b"}),
    ],
)
async def test_hostile_keys_and_filters_are_4xx(client, auth, database, notes, method, url, body):
    await sign_in_staff(database, auth, "support")
    response = await client.request(method, url, json=body)
    assert 400 <= response.status_code < 500, response.text
    assert len(await _stored(database)) == 3
