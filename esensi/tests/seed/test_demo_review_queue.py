"""The demo's review queue: the demo reviewer approves the waiting book through HTTP alone and
its author sees the notification (a module of its own: it changes the seeded database)."""

from __future__ import annotations

from sqlalchemy import select

from esensi.app import build_app
from esensi.models.notif import Notif
from esensi.seed.keys import seed_id
from esensi.seed.people import staff_id, staff_login
from esensi.seed.review_queue import AUTHOR_EMAIL, BOOK_ID, SLUG
from esensi.settings import Settings
from rlib import DatabaseConfig
from rlib.auth.users import SessionUser
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client

MANAGER = 1  # manajemen@esensi.online


async def test_reviewers_were_told_of_the_waiting_book(seeded):
    told = await seeded.execute(
        select(Notif.id_user).where(Notif.type == "book-submit", Notif.url == f"/book/{BOOK_ID}")
    )
    assert staff_login(MANAGER).id in set(told.scalars())


async def test_demo_reviewer_approves_and_the_author_is_notified(seeded_url):
    auth = FakeAuthenticator()
    app = build_app(Settings(env="test", database_url=seeded_url), authenticator=auth)
    database = Database(DatabaseConfig(url=seeded_url, pool_size=1))
    app.use_database(database)
    try:
        async with app_client(app) as client:
            auth.user = SessionUser(
                id=staff_login(MANAGER).id,
                profiles={"internal": staff_id(MANAGER)},
                roles=frozenset({"internal:management"}),
            )
            queue = await client.get("/api/internal/book", params={"search": "Sunda Kelapa"})
            assert [row["slug"] for row in queue.json()["data"]] == [SLUG]
            decided = await client.post(
                "/api/internal/book-approval/create",
                json={"id_book": str(BOOK_ID), "status": "published"},
            )
            assert decided.status_code == 200, decided.text
            assert decided.json()["data"]["product_status"] == "published"
            auth.user = SessionUser(
                id=seed_id("auth_user", AUTHOR_EMAIL),
                profiles={"author": seed_id("author", AUTHOR_EMAIL)},
            )
            notes = (await client.post("/api/notif/list", json={"limit": 5})).json()["data"]
    finally:
        await database.dispose()
    assert notes[0]["type"] == "book-approve"
    assert "Senja di Pelabuhan Sunda Kelapa" in notes[0]["message"]
