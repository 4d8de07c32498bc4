"""Browsing the chapter site by genre."""

from factories import make_author, make_book, make_genre, tag_book


async def test_genre_lists_published_chapter_books_of_the_genre_and_its_children(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        romansa = await make_genre(db, "romansa")
        sekolah = await make_genre(db, "romansa-sekolah", id_parent=romansa.id)
        horor = await make_genre(db, "horor")
        shown = [await make_book(db, author) for _ in range(2)]
        await tag_book(db, shown[0], romansa)
        await tag_book(db, shown[1], sekolah)
        draft = await make_book(db, author, status="draft")
        other = await make_book(db, author)
        await tag_book(db, draft, romansa)
        await tag_book(db, other, horor)
        await db.commit()
    body = (await client.get("/chapter/genre/romansa/1")).json()
    assert {book["id"] for book in body["data"]} == {str(book.id) for book in shown}
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}
    assert body["data"][0]["author_name"] == "Tere Liye"
    assert (await client.get("/chapter/genre/romansa")).json()["pagination"]["total"] == 2


async def test_unknown_genre_is_404(client):
    response = await client.get("/chapter/genre/tidak-ada/1")
    assert response.status_code == 404
    assert response.json()["message"] == "Genre tidak ditemukan"
