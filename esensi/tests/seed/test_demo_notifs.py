"""The demo seed's notifications are readable through the notif_* endpoints."""

from __future__ import annotations

from sqlalchemy import func, select

from esensi.app import build_app
from esensi.models.notif import Notif
from esensi.settings import Settings
from factories import login_as
from rlib import DatabaseConfig
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client


async def test_a_seeded_user_reads_their_notifications(seeded_url, seeded):
    busiest = (
        await seeded.execute(
            select(Notif.id_user, func.count())
            .group_by(Notif.id_user)
            .order_by(func.count().desc(), Notif.id_user)
            .limit(1)
        )
    ).one()
    user_id, total = busiest
    unread = await seeded.scalar(
        select(func.count()).where(Notif.id_user == user_id, Notif.status == "unread")
    )
    auth = FakeAuthenticator()
    login_as(auth, user_id)
    app = build_app(Settings(env="test", database_url=seeded_url), authenticator=auth)
    database = Database(DatabaseConfig(url=seeded_url, pool_size=1))
    app.use_database(database)
    try:
        async with app_client(app) as client:
            listed = (await client.post("/api/notif/list", json={"limit": 100})).json()["data"]
            count = (await client.post("/api/notif/unread-count", json={})).json()["data"]
    finally:
        await database.dispose()
    assert len(listed) == min(total, 100)
    assert [row["id"] for row in listed] == sorted((row["id"] for row in listed), reverse=True)
    assert count == {"count": unread}
    assert all(row["message"] for row in listed)
