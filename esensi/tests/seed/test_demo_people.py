"""The people reads answer over the whole demo data set (its authors with books, ledgers and
links, customers with orders) as the demo manager, without a secret and without a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from esensi.app import build_app
from esensi.models.auth import AuthUser
from esensi.models.internal import Internal
from esensi.settings import Settings
from rlib import DatabaseConfig
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client

TYPES = ("affiliate", "author", "customer", "internal", "publisher")


@pytest.fixture
async def manager_client(seeded_url):
    database = Database(DatabaseConfig(url=seeded_url, pool_size=2))
    async with database.engine.connect() as conn:
        user_id, staff_id = (
            await conn.execute(
                select(AuthUser.id, Internal.id)
                .join(Internal, Internal.id_user == AuthUser.id)
                .where(AuthUser.email == "manajemen@esensi.online")
            )
        ).one()
    auth = FakeAuthenticator()
    auth.user = SessionUser(
        id=user_id, profiles={"internal": staff_id}, roles=frozenset({"internal:management"})
    )
    app = build_app(Settings(env="test", database_url=seeded_url), authenticator=auth)
    app.use_database(database)
    async with app_client(app) as http:
        yield http
    await database.dispose()


@pytest.mark.parametrize("kind", TYPES)
async def test_every_people_read_answers_over_the_demo(manager_client, kind):
    api = f"/api/internal/{kind}"
    listed = await manager_client.post(f"{api}/list", json={"limit": 100})
    assert listed.status_code == 200, listed.text
    rows = listed.json()["data"]
    assert rows, kind
    for sort in ("name", "created_at"):
        searched = await manager_client.post(f"{api}/search", json={"sort_by": sort})
        assert searched.status_code == 200, searched.text
    whole = (await manager_client.get(f"{api}/stats")).json()["data"]
    assert whole["total"] == listed.json()["pagination"]["total"]
    for row in rows[:5]:
        got = await manager_client.post(f"{api}/get", json={"id": row["id"]})
        assert got.status_code == 200, got.text
        assert "password" not in got.text
        one = await manager_client.post(f"{api}/stats", json={"id": row["id"]})
        assert one.status_code == 200, one.text


async def test_the_busiest_demo_author_sorts_first_by_books(manager_client):
    searched = await manager_client.post(
        "/api/internal/author/search", json={"sort_by": "books", "limit": 3}
    )
    counts = [row["counts"]["books"] for row in searched.json()["data"]]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] > 0
