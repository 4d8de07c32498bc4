"""The app suite runs the database paths production runs (ADR 0019).

A create runs on the raw write path and commits for real; a list runs on the native read pool
(PostgreSQL) or a raw pooled connection (SQLite). Were the test set-up to bind sessions to one
connection again, or switch the fast paths off, this would fail.
"""

import uuid

from sqlalchemy import select

from esensi.models.book import Book
from factories import login_as, make_author
from rlib.testing.paths import count_paths


async def test_a_create_and_a_list_take_the_fast_paths_and_commit(client, auth, database):
    async with database.sessionmaker() as db:
        author = await make_author(db, name="Andrea Hirata")
        await db.commit()
    login_as(auth, uuid.uuid4(), author=author.id)
    async with count_paths(database) as paths:
        created = await client.post(
            "/api/publish/book/create", json={"name": "Laskar Pelangi", "slug": "laskar-pelangi"}
        )
        listed = await client.get("/api/publish/book")
    assert created.status_code == 201, created.text
    assert [row["slug"] for row in listed.json()["data"]] == ["laskar-pelangi"]
    assert paths.raw_writes == 1
    if database.dialect == "postgresql":
        assert (paths.native_reads, paths.raw_reads) == (1, 0)
    else:
        assert (paths.native_reads, paths.raw_reads) == (0, 1)
    async with database.sessionmaker() as db:  # a connection of its own sees it: committed
        assert await db.scalar(select(Book.slug)) == "laskar-pelangi"
