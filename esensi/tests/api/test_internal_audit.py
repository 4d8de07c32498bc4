"""Management and IT read the audit trail, newest first and filtered; other staff are refused."""

import pytest

from esensi.models.enums import ActorType
from esensi.services import audit
from factories import login_staff
from rlib import Scope


async def _record(database, *, action, entity_id, after):
    unit = database.unit()
    try:
        await audit.record(
            Scope(unit),
            audit.Actor(None, ActorType.SYSTEM, ip="10.0.0.1", request_id="req-1"),
            action=action,
            entity="book",
            entity_id=entity_id,
            after=after,
        )
        await unit.commit()
    finally:
        await unit.close()


async def test_anonymous_is_401(client):
    assert (await client.get("/api/internal/audit/list")).status_code == 401


async def test_support_is_403(client, auth):
    login_staff(auth, "support")
    assert (await client.get("/api/internal/audit/list")).status_code == 403


@pytest.mark.parametrize("role", ["management", "it"])
async def test_list_is_newest_first_and_filters(client, auth, database, role):
    login_staff(auth, role)
    await _record(database, action="book.approve", entity_id="b1", after={"status": "published"})
    await _record(database, action="book.reject", entity_id="b2", after={"status": "rejected"})
    body = (await client.get("/api/internal/audit/list")).json()
    assert body["pagination"]["total"] == 2
    assert [item["action"] for item in body["data"]] == ["book.reject", "book.approve"]
    first = body["data"][0]
    assert (first["entity"], first["entity_id"], first["after"]) == (
        "book",
        "b2",
        {"status": "rejected"},
    )
    assert (first["ip"], first["request_id"], first["actor_type"]) == (
        "10.0.0.1",
        "req-1",
        "system",
    )
    only = (await client.get("/api/internal/audit/list", params={"entity_id": "b1"})).json()
    assert [item["action"] for item in only["data"]] == ["book.approve"]


async def test_unknown_filter_is_422(client, auth):
    login_staff(auth, "it")
    response = await client.get("/api/internal/audit/list", params={"colour": "red"})
    assert response.status_code == 422
