"""The chapter site's listing pages through HTTP: home, browse, tags, search, author."""

from decimal import Decimal

from esensi.models.bundle import Bundle, BundleProduct
from factories import make_author, make_book, make_genre, make_user, tag_book
from factories.chapter_site import make_tag, sell_book, tag_with
from rlib.testing.statements import count_statements


async def _shelf(database):
    """Two visible books and every kind of book the site must hide."""
    async with database.sessionmaker() as db:
        author = await make_author(db)
        shown = [await make_book(db, author, name=f"Kisah {n}") for n in range(2)]
        await make_book(db, author, status="draft")
        await make_book(db, author, is_chapter=False)
        await make_book(db, author, deleted_at=shown[0].published_date)
        await db.commit()
    return author, shown


async def test_browse_lists_only_published_live_serialised_books(client, database):
    _, shown = await _shelf(database)
    body = (await client.get("/chapter/browse/1")).json()
    assert {book["id"] for book in body["data"]} == {str(book.id) for book in shown}
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}
    assert (await client.get("/chapter/browse")).json()["pagination"]["total"] == 2


async def test_browse_refuses_bad_pages_with_422(client, database):
    for url in ("/chapter/browse/0", "/chapter/browse/99999999999"):
        response = await client.get(url)
        assert response.status_code == 422, url
        assert response.json()["success"] is False


async def test_browse_is_one_count_and_one_select(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        for _ in range(25):
            await make_book(db, author)
        await db.commit()
    async with count_statements(database) as log:
        body = (await client.get("/chapter/browse/2")).json()
    assert len(body["data"]) == 5
    assert log.count == 2, log.statements


async def test_tags_lists_books_of_the_tag_and_its_children(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        fantasi = await make_tag(db, "fantasi")
        naga = await make_tag(db, "naga", id_parent=fantasi.id)
        books = [await make_book(db, author) for _ in range(3)]
        await tag_with(db, books[0], fantasi)
        await tag_with(db, books[1], naga)
        await db.commit()
    async with count_statements(database) as log:
        body = (await client.get("/chapter/tags/fantasi/1")).json()
    assert {book["id"] for book in body["data"]} == {str(books[0].id), str(books[1].id)}
    assert log.count == 3, log.statements  # the tag tree, the count, the page
    missing = await client.get("/chapter/tags/tidak-ada", headers={"Accept-Language": "en"})
    assert missing.status_code == 404
    assert missing.json()["message"] == "Tag not found"


async def test_search_finds_books_and_bundles_and_counts_what_it_lists(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        book = await make_book(db, author, name="Pedang Api")
        await make_book(db, author, name="Pedang Es", status="draft")
        await make_book(db, author, name="Pedang Batu", is_chapter=False)
        await make_book(db, author, name="Lain")
        product = await sell_book(db, book)
        bundle = Bundle(
            name="Paket Pedang",
            slug="paket-pedang",
            real_price=Decimal(1),
            id_author=author.id,
            status="published",
        )
        db.add(bundle)
        await db.flush()
        db.add(BundleProduct(id_bundle=bundle.id, id_product=product.id))
        await db.commit()
    async with count_statements(database) as log:
        body = (await client.get("/chapter/search/pedang/1")).json()
    assert log.count == 2, log.statements
    assert [(hit["kind"], hit["name"]) for hit in body["data"]] == [
        ("bundle", "Paket Pedang"),
        ("book", "Pedang Api"),
    ]
    assert body["pagination"]["total"] == len(body["data"])
    wildcard = (await client.get("/chapter/search/%25/1")).json()
    assert wildcard["pagination"]["total"] == 0


async def test_index_shows_latest_books_genres_and_used_tags(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        romansa = await make_genre(db, "romansa")
        await make_genre(db, "romansa-kantor", id_parent=romansa.id)
        used, unused = await make_tag(db, "cinta"), await make_tag(db, "sepi")
        books = [await make_book(db, author) for _ in range(2)]
        for book in books:
            await tag_with(db, book, used)
            await tag_book(db, book, romansa)
        await db.commit()
    async with count_statements(database) as log:
        body = (await client.get("/chapter/")).json()["data"]
    assert log.count == 3, log.statements  # latest books, the genre tree, the tags
    assert {book["id"] for book in body["latest"]} == {str(book.id) for book in books}
    assert body["genres"][0]["slug"] == "romansa"
    assert body["genres"][0]["children"][0]["slug"] == "romansa-kantor"
    assert body["tags"] == [{"id": str(used.id), "name": "Cinta", "slug": "cinta", "books": 2}]
    assert str(unused.id) not in str(body["tags"])


async def test_author_page_by_username_or_id_lists_their_books(client, database):
    async with database.sessionmaker() as db:
        user = await make_user(db, username="tere.liye")
        author = await make_author(db, id_user=user.id)
        other = await make_author(db, name="Lain")
        mine = await make_book(db, author)
        await make_book(db, other)
        await db.commit()
    for handle in ("Tere.Liye", str(author.id)):
        async with count_statements(database) as log:
            body = (await client.get(f"/chapter/author/{handle}/1")).json()["data"]
        assert log.count == 3, log.statements
        assert body["author"]["username"] == "tere.liye"
        assert body["author"]["followers"] == 0
        assert [book["id"] for book in body["books"]] == [str(mine.id)]
        assert body["total"] == 1
    missing = await client.get("/chapter/author/tidak-ada")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Penulis tidak ditemukan"
