"""Every page of the chapter site shows something on the demo data set."""

from __future__ import annotations

from sqlalchemy import func, select

from esensi.app import build_app
from esensi.models.author import AuthorFollow
from esensi.models.book import Book, BookTags
from esensi.models.chapter import Chapter
from esensi.models.customer import Customer
from esensi.models.entitlement import CustomerReader
from esensi.models.review import Reviews
from esensi.models.taxonomy import Tags
from esensi.services.chapter_books import visible_book
from esensi.settings import Settings
from factories import login_as
from rlib import DatabaseConfig
from rlib.db.engine import Database
from rlib.testing import FakeAuthenticator, app_client


async def _picks(seeded):
    """A reviewed book with replies, a tag in use, a followed author, a reading customer."""
    replied = select(Reviews.id_book).where(Reviews.parent.is_not(None))
    book = (
        await seeded.execute(
            select(Book.slug, Book.name, Book.id_author)
            .where(visible_book(), Book.id.in_(replied))
            .order_by(Book.slug)
            .limit(1)
        )
    ).one()
    tag = await seeded.scalar(
        select(Tags.slug)
        .join(BookTags, BookTags.id_tags == Tags.id)
        .join(Book, Book.id == BookTags.id_book)
        .where(visible_book(), Tags.deleted_at.is_(None))
        .limit(1)
    )
    followed = await seeded.scalar(
        select(AuthorFollow.id_author).group_by(AuthorFollow.id_author).limit(1)
    )
    reader = (
        await seeded.execute(
            select(Customer.id_user, Customer.id)
            .join(CustomerReader, CustomerReader.id_customer == Customer.id)
            .where(Customer.id_user.is_not(None), CustomerReader.id_chapter.is_not(None))
            .order_by(Customer.id)
            .limit(1)
        )
    ).one()
    paid = await seeded.scalar(
        select(func.count()).select_from(Chapter).where(Chapter.is_free.is_(False))
    )
    return book, tag, followed, reader, paid


async def test_every_chapter_page_has_demo_content(seeded_url, seeded):
    book, tag, followed, reader, paid = await _picks(seeded)
    assert paid
    auth = FakeAuthenticator()
    login_as(auth, reader.id_user, customer=reader.id)
    app = build_app(Settings(env="test", database_url=seeded_url), authenticator=auth)
    database = Database(DatabaseConfig(url=seeded_url, pool_size=1))
    app.use_database(database)
    try:
        async with app_client(app) as client:

            async def data(url):
                response = await client.get(url)
                assert response.status_code == 200, (url, response.text)
                return response.json()["data"]

            home = await data("/chapter/")
            assert home["latest"]
            assert home["genres"]
            assert home["tags"]
            assert await data("/chapter/browse/1")
            assert await data(f"/chapter/genre/{home['genres'][0]['slug']}/1") is not None
            assert await data(f"/chapter/tags/{tag}/1")
            assert await data(f"/chapter/search/{book.name.split()[0]}/1")
            title = await data(f"/chapter/title/{book.slug}")
            assert title["chapters"]
            assert title["reviews"]
            assert title["rating"]["count"]
            assert any(review["replies"] for review in title["reviews"])
            first = title["chapters"][0]
            page = await data(f"/chapter/chapter/{book.slug}/{first['number']}/x")
            assert page["chapter"]["id"] == first["id"]
            author = await data(f"/chapter/author/{followed}/1")
            assert author["author"]["followers"] >= 1
            for metric in ("sales", "rating", "reads"):
                assert await data(f"/chapter/rankings/{metric}/all/all"), metric
            assert await data("/chapter/library")
            assert await data(f"/chapter/api/review/list?id_book={title['book']['id']}")
    finally:
        await database.dispose()
