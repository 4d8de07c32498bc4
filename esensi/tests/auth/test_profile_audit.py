"""Every link of a login to a profile leaves a ``user.profile_link`` audit row (spec/models.md
audit_log, spec/workflows.md 2 step 3), written in the same transaction as the profile."""

from __future__ import annotations

import uuid

import pytest
from auth_helpers import committed_login, sign_in
from sqlalchemy import select

from esensi.models.audit import AuditLog
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.enums import ActorType
from esensi.services import audit, onboarding
from rlib import Scope
from rlib.db.engine import Database
from rlib.db.tx import UnitOfWork


def _links(user_id: uuid.UUID):
    return (
        select(AuditLog)
        .where(AuditLog.action == audit.PROFILE_LINK)
        .where(AuditLog.after["id_user"].as_string() == str(user_id))
        .order_by(AuditLog.id)
    )


async def links_of(database: Database, user_id: uuid.UUID) -> list[AuditLog]:
    """The committed ``user.profile_link`` rows linking a profile to ``user_id``."""
    async with database.sessionmaker() as db:
        return list(await db.scalars(_links(user_id)))


async def links_of_in(unit: UnitOfWork, user_id: uuid.UUID) -> list[AuditLog]:
    return list(await unit.session.scalars(_links(user_id)))


@pytest.mark.parametrize("role", ["author", "publisher"])
async def test_onboarding_audits_the_profile_link(web, database, role):
    user = await committed_login(database)
    await sign_in(web, user.email)
    response = await web.post("/api/auth/onboarding", json={"role": role})
    assert response.status_code == 200, response.text
    [row] = await links_of(database, user.id)
    assert row.id_user == user.id
    assert row.actor_type == role
    assert row.entity == role
    assert row.entity_id == response.json()["data"]["profileId"]
    assert row.before == {"id_user": None}
    assert row.after == {"id_user": str(user.id)}
    assert row.ip == "127.0.0.1"
    assert row.request_id == response.headers["x-request-id"]


async def test_a_refused_onboarding_writes_no_audit_row(web, database):
    user = await committed_login(database)
    await sign_in(web, user.email)
    assert (await web.post("/api/auth/onboarding", json={"role": "author"})).status_code == 200
    assert (await web.post("/api/auth/onboarding", json={"role": "author"})).status_code == 409
    assert len(await links_of(database, user.id)) == 1


async def test_register_audits_the_customer_link(web, database):
    body = {
        "name": "Dewi",
        "email": "dewi.audit@contoh.id",
        "password": "rahasia-sekali-1",
        "confirmPassword": "rahasia-sekali-1",
        "terms": True,
    }
    assert (await web.post("/api/auth/register", json=body)).status_code == 200
    async with database.sessionmaker() as db:
        customer = (
            await db.scalars(select(Customer).where(Customer.email == "dewi.audit@contoh.id"))
        ).one()
    assert customer.id_user is not None
    [row] = await links_of(database, customer.id_user)
    assert (row.actor_type, row.entity, row.entity_id) == ("customer", "customer", str(customer.id))


async def test_staff_linking_an_existing_profile_records_actor_and_previous_login(database):
    """The service the staff profile endpoints use: actor, old and new login in one row."""
    staff = await committed_login(database)
    old_login = await committed_login(database)
    new_login = await committed_login(database)
    actor = audit.Actor(staff.id, ActorType.INTERNAL, "203.0.113.9", "req-1")
    unit = database.unit()
    try:
        async with unit.transaction() as db:
            author = Author(name="Penulis Tautan", id_user=new_login.id)
            db.add(author)
            await db.flush()
            await audit.profile_linked(
                Scope(unit),
                actor,
                profile_type="author",
                profile_id=author.id,
                user_id=new_login.id,
                previous=old_login.id,
            )
    finally:
        await unit.close()
    [row] = await links_of(database, new_login.id)
    assert row.id_user == staff.id
    assert row.actor_type == "internal"
    assert row.before == {"id_user": str(old_login.id)}
    assert (row.ip, row.request_id) == ("203.0.113.9", "req-1")


async def test_become_and_its_audit_row_share_the_transaction(database):
    user = await committed_login(database)
    actor = audit.Actor(user.id, ActorType.AUTHOR)
    unit = database.unit()
    try:
        await onboarding.become(Scope(unit), actor, user_id=user.id, role="author", name=None)
        assert len(await links_of_in(unit, user.id)) == 1  # written, not yet committed
        await unit.rollback()
    finally:
        await unit.close()
    assert await links_of(database, user.id) == []
