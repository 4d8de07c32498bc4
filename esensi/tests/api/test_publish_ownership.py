"""services/ownership.py: a publisher manages the rows of its ACTIVE authors only.

Through HTTP on the book resource (list, detail, change log) and directly on the service: an
invited or declined link gives nothing, an accepted one gives access, removing it takes it away;
a login that is both author and publisher manages both sets; the SQL form of the rule
(``managed_by_caller``) agrees with the fetched form (``managed_author_ids``).
"""

import uuid

import pytest
from sqlalchemy import select

from esensi.models.book import Book
from esensi.services import ownership
from factories import login_as, login_staff, make_author, make_book, make_user
from factories.publishers import link, make_publisher
from rlib import NotFoundError, Scope
from rlib.auth.users import SessionUser

BOOKS = "/api/publish/book"


@pytest.fixture
async def world(database):
    """A publisher linked to three authors (active, invited, declined), each with a draft."""
    async with database.sessionmaker() as db:
        publisher = await make_publisher(db, id_user=(await make_user(db)).id)
        found = {"publisher": publisher}
        for status in ("active", "invited", "declined"):
            login = await make_user(db)
            author = await make_author(db, name=f"Penulis {status}", id_user=login.id)
            await link(db, publisher, author, status)
            found[status] = author
            found[f"{status}_book"] = await make_book(
                db, author, slug=f"buku-{status}", status="draft"
            )
        await db.commit()
    return found


async def _slugs(client) -> set[str]:
    body = (await client.get(BOOKS)).json()
    return {row["slug"] for row in body["data"]}


async def test_a_publisher_sees_its_active_authors_books_only(client, auth, world):
    login_as(auth, world["publisher"].id_user, publisher=world["publisher"].id)
    assert await _slugs(client) == {"buku-active"}
    assert (await client.get(f"{BOOKS}/{world['active_book'].id}")).status_code == 200
    for status in ("invited", "declined"):
        book = world[f"{status}_book"].id
        assert (await client.get(f"{BOOKS}/{book}")).status_code == 404
        history = await client.get("/api/publish/book-changes-log/list", params={"id_book": book})
        assert history.status_code == 404


async def test_accepting_grants_and_removing_revokes_access(client, auth, world):
    invited, publisher = world["invited"], world["publisher"]
    as_publisher = {"publisher": publisher.id}
    login_as(auth, publisher.id_user, **as_publisher)
    [row] = (
        await client.get("/api/publish/publisher-author/list", params={"status": "invited"})
    ).json()["data"]
    login_as(auth, invited.id_user, author=invited.id)
    answer = {"id": row["id"], "accept": True}
    assert (await client.post("/api/publish/publisher-author/accept", json=answer)).is_success
    login_as(auth, publisher.id_user, **as_publisher)
    assert await _slugs(client) == {"buku-active", "buku-invited"}
    login_as(auth, invited.id_user, author=invited.id)
    removed = await client.post("/api/publish/publisher-author/delete", json={"id": row["id"]})
    assert removed.is_success
    login_as(auth, publisher.id_user, **as_publisher)
    assert await _slugs(client) == {"buku-active"}
    assert (await client.get(f"{BOOKS}/{world['invited_book'].id}")).status_code == 404


async def test_a_login_that_is_both_manages_both_sets(client, auth, world, database):
    async with database.sessionmaker() as db:
        own = await make_author(db, name="Penerbit Sendiri")
        await make_book(db, own, slug="buku-sendiri", status="draft")
        await db.commit()
    publisher = world["publisher"]
    login_as(auth, publisher.id_user, publisher=publisher.id, author=own.id)
    assert await _slugs(client) == {"buku-sendiri", "buku-active"}


async def test_a_login_that_is_both_without_active_authors_acts_as_the_author(
    client, auth, database
):
    async with database.sessionmaker() as db:
        own = await make_author(db)
        lone = await make_publisher(db)
        await db.commit()
    login_as(auth, uuid.uuid4(), publisher=lone.id, author=own.id)
    created = await client.post(BOOKS + "/create", json={"name": "Tanpa Nama", "slug": "tanpa"})
    assert created.status_code == 201, created.text
    assert created.json()["data"]["id_author"] == str(own.id)


async def _scoped(database, user, world) -> tuple[object, set[str], bool]:
    """managed_author_ids, the books managed_by_caller selects, and require_managed_author."""
    unit = database.unit()
    try:
        scope = Scope(unit, user=user)
        owners = await ownership.managed_author_ids(scope)
        slugs = set(
            await scope.db.scalars(
                select(Book.slug).where(ownership.managed_by_caller(scope, Book.id_author))
            )
        )
        try:
            await ownership.require_managed_author(scope, world["invited"].id)
            invited_ok = True
        except NotFoundError:
            invited_ok = False
        return owners, slugs, invited_ok
    finally:
        await unit.close()


async def test_the_sql_rule_agrees_with_the_fetched_rule(database, world, auth):
    publisher = world["publisher"]
    user = SessionUser(id=uuid.uuid4(), profiles={"publisher": publisher.id})
    owners, slugs, invited_ok = await _scoped(database, user, world)
    assert owners == [world["active"].id]
    assert slugs == {"buku-active"}
    assert not invited_ok
    author = SessionUser(id=uuid.uuid4(), profiles={"author": world["invited"].id})
    owners, slugs, invited_ok = await _scoped(database, author, world)
    assert owners == world["invited"].id
    assert slugs == {"buku-invited"}
    assert invited_ok
    for nobody in (None, login_staff(auth, "management"), SessionUser(id=uuid.uuid4())):
        owners, slugs, invited_ok = await _scoped(database, nobody, world)
        assert (owners, slugs, invited_ok) == (None, set(), False)
