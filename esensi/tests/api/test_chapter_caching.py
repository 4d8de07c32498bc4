"""How the chapter site's pages travel: an ETag and 304 for everyone, a minute in shared caches
for anonymous answers, and never a public copy of what one reader sees (unlocked content,
``following``)."""

from factories import make_author, make_book, make_user
from factories.chapter_site import entitle, make_chapter, make_reader, sell_book, sign_in_reader

PUBLIC = "public, max-age=0, s-maxage=60"
PAGES = (
    "/chapter/",
    "/chapter/browse/1",
    "/chapter/search/ombak/1",
    "/chapter/rankings/sales/all/30d",
    "/chapter/title/ombak",
    "/chapter/chapter/ombak/1/bab-1",
)


async def _serial(database):
    async with database.sessionmaker() as db:
        author = await make_author(db, id_user=(await make_user(db)).id)
        book = await make_book(db, author, name="Ombak", slug="ombak")
        product = await sell_book(db, book)
        await make_chapter(db, book, 1, is_free=True)
        await make_chapter(db, book, 2)
        await db.commit()
    return product


async def test_anonymous_pages_carry_an_etag_answer_304_and_are_shared_for_a_minute(
    client, database
):
    await _serial(database)
    for url in PAGES:
        response = await client.get(url)
        assert response.status_code == 200, (url, response.text)
        assert response.headers["cache-control"] == PUBLIC, url
        again = await client.get(url, headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304, url


async def test_pages_that_differ_per_reader_vary_on_the_caller(client, database):
    await _serial(database)
    for url in ("/chapter/title/ombak", "/chapter/chapter/ombak/2/bab-2"):
        vary = (await client.get(url)).headers["vary"]
        assert "Cookie" in vary, url
        assert "Authorization" in vary, url
    assert "Cookie" not in (await client.get("/chapter/browse/1")).headers["vary"]


async def test_a_buyers_unlocked_chapter_is_private(client, database, auth):
    product = await _serial(database)
    async with database.sessionmaker() as db:
        user, customer_id = await make_reader(db)
        await entitle(db, customer_id, product)
        await db.commit()
    sign_in_reader(auth, user, customer_id)
    response = await client.get("/chapter/chapter/ombak/2/bab-2")
    assert response.json()["data"]["locked"] is False
    assert response.headers["cache-control"] == "private, no-cache"
