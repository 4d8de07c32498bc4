"""Parallel invitations of one author by one publisher: one link, one notification, the rest 409
(the unique (publisher_id, author_id) holds where the existence check races)."""

import asyncio

import pytest
from sqlalchemy import func, select

from esensi.app import build_app
from esensi.models.notif import Notif
from esensi.models.publisher import PublisherAuthor
from esensi.settings import Settings
from factories import login_as, make_author, make_user
from factories.publishers import make_publisher
from rlib import DatabaseConfig
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client


@pytest.mark.slow
async def test_ten_parallel_invitations_make_one_link(database, migrated_urls, backend):
    async with database.sessionmaker() as db:
        author = await make_author(db, id_user=(await make_user(db)).id)
        publisher = await make_publisher(db)
        await db.commit()
    auth = FakeAuthenticator()
    login_as(auth, author.id, publisher=publisher.id)
    wide = Database(DatabaseConfig(url=migrated_urls[backend], pool_size=10, max_overflow=0))
    app = build_app(Settings(env="test", database_url=wide.config.url), authenticator=auth)
    app.use_database(wide)
    try:
        async with app_client(app) as client:
            responses = await asyncio.gather(
                *(
                    client.post(
                        "/api/publish/publisher-author/create",
                        json={"author_id": str(author.id)},
                    )
                    for _ in range(10)
                )
            )
    finally:
        await wide.dispose()
    assert sorted(r.status_code for r in responses) == [200] + [409] * 9
    async with database.sessionmaker() as db:
        links = await db.scalar(select(func.count()).select_from(PublisherAuthor))
        notifs = await db.scalar(select(func.count()).select_from(Notif))
    assert (links, notifs) == (1, 1)
