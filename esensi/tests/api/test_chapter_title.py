"""A book's title page and chapter gating, through HTTP."""

from sqlalchemy import select

from esensi.models.author import AuthorFollow
from esensi.models.book import Book
from factories import login_as, make_author, make_book, make_genre, make_user, tag_book
from factories.chapter_site import (
    entitle,
    make_chapter,
    make_reader,
    make_review,
    sell_book,
    sign_in_reader,
)
from rlib.testing.statements import count_statements


async def _serial(database, *, reviews: int = 1):
    """A sold serial: chapter 1 free, 2 paid, 3 paid, 4 a draft; a deleted and a live genre."""
    async with database.sessionmaker() as db:
        author_user = await make_user(db, username="penulis")
        author = await make_author(db, id_user=author_user.id)
        book = await make_book(db, author, slug="pedang-api")
        product = await sell_book(db, book)
        await make_chapter(db, book, 1, is_free=True)
        await make_chapter(db, book, 2)
        await make_chapter(db, book, 3)
        await make_chapter(db, book, 4, status="draft")
        await tag_book(db, book, await make_genre(db, "laga"))
        await tag_book(db, book, await make_genre(db, "lama", deleted_at=book.published_date))
        for n in range(reviews):
            writer = await make_user(db)
            top = await make_review(db, book, writer, rating=4 + n % 2)
            await make_review(
                db, book, author_user, parent=top.id, rating=None, comments="Terima kasih"
            )
        await db.commit()
    return book, product, author


async def test_title_shows_book_genres_author_chapters_rating_and_reviews(client, database):
    book, product, author = await _serial(database, reviews=2)
    body = (await client.get("/chapter/title/pedang-api")).json()["data"]
    assert body["book"]["id"] == str(book.id)
    assert [genre["slug"] for genre in body["genres"]] == ["laga"]
    assert body["author"]["id"] == str(author.id)
    assert body["author"] | {"id": None} == {
        "id": None,
        "name": "Tere Liye",
        "avatar": None,
        "biography": None,
        "username": "penulis",
        "followers": 0,
        "following": False,
    }
    assert [chapter["number"] for chapter in body["chapters"]] == [1, 2, 3]
    assert "content" not in body["chapters"][0]
    assert body["rating"] == {"average": 4.5, "count": 2}
    assert body["offer"]["id"] == str(product.id)
    assert body["entitled"] is False
    assert body["reviews_total"] == 2
    assert [len(review["replies"]) for review in body["reviews"]] == [1, 1]


async def test_title_shows_that_the_caller_follows_the_author(client, database, auth):
    _, _, author = await _serial(database)
    async with database.sessionmaker() as db:
        reader, customer = await make_reader(db)
        db.add(AuthorFollow(id_user=reader.id, id_author=author.id))
        await db.commit()
    sign_in_reader(auth, reader, customer)
    card = (await client.get("/chapter/title/pedang-api")).json()["data"]["author"]
    assert (card["followers"], card["following"]) == (1, True)


async def test_title_statement_count_does_not_grow_with_reviews(client, database):
    await _serial(database, reviews=1)
    async with count_statements(database) as log:
        assert (await client.get("/chapter/title/pedang-api")).status_code == 200
    few = log.count
    await _more_reviews(database, 15)
    async with count_statements(database) as log:
        assert (await client.get("/chapter/title/pedang-api")).status_code == 200
    assert log.count == few == 8, log.statements


async def _more_reviews(database, count):
    async with database.sessionmaker() as db:
        book = (await db.scalars(select(Book).where(Book.slug == "pedang-api"))).one()
        for _ in range(count):
            await make_review(db, book, await make_user(db))
        await db.commit()


async def test_unknown_or_hidden_title_is_404(client, database):
    async with database.sessionmaker() as db:
        await make_book(db, await make_author(db), slug="draf", status="draft")
        await db.commit()
    for slug in ("tidak-ada", "draf"):
        response = await client.get(f"/chapter/title/{slug}")
        assert response.status_code == 404
        assert response.json()["message"] == "Buku tidak ditemukan"


async def test_a_free_chapter_is_readable_by_anyone(client, database):
    await _serial(database)
    body = (await client.get("/chapter/chapter/pedang-api/1/bab-1")).json()["data"]
    assert body["locked"] is False
    assert body["content"]["blocks"][0]["data"]["text"] == "isi bab 1"
    assert (body["prev"], body["next"]) == (None, 2)
    assert body["offer"] is None
    assert [genre["slug"] for genre in body["genres"]] == ["laga"]


async def test_a_paid_chapter_is_locked_for_visitors_with_a_purchase_hint(client, database):
    _, product, _ = await _serial(database)
    async with count_statements(database) as log:
        body = (await client.get("/chapter/chapter/pedang-api/3/bab-3")).json()["data"]
    assert log.count == 2, log.statements
    assert body["locked"] is True
    assert body["content"] is None
    assert body["offer"]["slug"] == product.slug
    assert (body["prev"], body["next"]) == (2, None)  # chapter 4 is a draft


async def test_a_paid_chapter_is_locked_for_a_reader_who_did_not_buy(client, database, auth):
    await _serial(database)
    async with database.sessionmaker() as db:
        reader, customer = await make_reader(db)
        await db.commit()
    sign_in_reader(auth, reader, customer)
    body = (await client.get("/chapter/chapter/pedang-api/2/x")).json()["data"]
    assert body["locked"] is True
    assert body["content"] is None


async def test_a_paid_chapter_is_open_to_its_buyer(client, database, auth):
    _, product, _ = await _serial(database)
    async with database.sessionmaker() as db:
        reader, customer = await make_reader(db)
        await entitle(db, customer, product)
        await db.commit()
    sign_in_reader(auth, reader, customer)
    async with count_statements(database) as log:
        body = (await client.get("/chapter/chapter/pedang-api/2/x")).json()["data"]
    assert log.count == 3, log.statements
    assert body["locked"] is False
    assert body["content"]["blocks"][0]["data"]["text"] == "isi bab 2"
    assert (await client.get("/chapter/title/pedang-api")).json()["data"]["entitled"] is True


async def test_a_login_without_a_customer_profile_is_not_entitled(client, database, auth):
    await _serial(database)
    async with database.sessionmaker() as db:
        user = await make_user(db)
        await db.commit()
    login_as(auth, user.id)
    body = (await client.get("/chapter/chapter/pedang-api/2/x")).json()["data"]
    assert body["locked"] is True


async def test_draft_or_missing_chapters_are_404(client, database):
    await _serial(database)
    for url in ("pedang-api/4/x", "pedang-api/9/x", "tidak-ada/1/x"):
        response = await client.get(f"/chapter/chapter/{url}")
        assert response.status_code == 404, url
        assert response.json()["message"] == "Bab tidak ditemukan"
    assert (await client.get("/chapter/chapter/pedang-api/0/x")).status_code == 422
