"""The store's catalogue pages through HTTP: browse, category, search, product, bundle."""

import datetime as dt

from factories import make_author
from factories.store import (
    file_product,
    make_bundle,
    make_category,
    make_product,
)
from rlib.testing.statements import count_statements

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


def _at(days: int) -> dt.datetime:
    return NOW + dt.timedelta(days=days)


async def test_browse_lists_published_live_products_newest_first_24_a_page(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db, name="Dee Lestari")
        shown = [await make_product(db, author, created_at=_at(n)) for n in range(25)]
        await make_product(db, author, name="Draf", status="draft")
        await make_product(db, author, name="Dihapus", deleted_at=NOW)
        await make_product(db, author, name="Jeda", status="paused")
        await db.commit()
    first = (await client.get("/browse")).json()
    assert first["pagination"] == {"page": 1, "limit": 24, "total": 25, "totalPages": 2}
    assert [item["id"] for item in first["data"]] == [str(p.id) for p in reversed(shown)][:24]
    assert first["data"][0]["author_name"] == "Dee Lestari"
    assert set(first["data"][0]) == {
        "id",
        "name",
        "slug",
        "cover",
        "currency",
        "real_price",
        "strike_price",
        "content_type",
        "published_date",
        "author_id",
        "author_name",
    }
    second = (await client.get("/browse/2")).json()
    assert [item["id"] for item in second["data"]] == [str(shown[0].id)]


async def test_browse_refuses_bad_page_numbers_with_422(client):
    for url in ("/browse/0", "/browse/100001"):
        response = await client.get(url)
        assert response.status_code == 422, url
        assert response.json()["success"] is False
    # Not a page number at all: the typed segment does not match, so no such URL.
    for url in ("/browse/-1", "/browse/abc", "/browse/999999999999999999999"):
        assert (await client.get(url)).status_code == 404, url
    response = await client.post("/browse/0", json={})
    assert response.status_code == 422
    assert (await client.post("/browse", json={"page": "x"})).status_code == 422


async def test_browse_costs_one_count_and_one_page(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        for _ in range(30):
            await make_product(db, author)
        await db.commit()
    async with count_statements(database) as log:
        body = (await client.get("/browse/1")).json()
    assert len(body["data"]) == 24
    assert log.count == 2, log.statements


async def test_category_lists_products_of_the_category_and_its_children(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        fiksi = await make_category(db, "fiksi")
        romansa = await make_category(db, "romansa", id_parent=fiksi.id)
        sains = await make_category(db, "sains")
        direct, child, other = [await make_product(db, author) for _ in range(3)]
        hidden = await make_product(db, author, status="draft")
        await file_product(db, direct, fiksi)
        await file_product(db, child, romansa)
        await file_product(db, hidden, fiksi)
        await file_product(db, other, sains)
        await db.commit()
    body = (await client.get("/category/fiksi/1")).json()
    assert {item["id"] for item in body["data"]} == {str(direct.id), str(child.id)}
    assert body["pagination"]["total"] == 2
    assert (await client.get("/category/romansa")).json()["pagination"]["total"] == 1


async def test_unknown_category_is_404_in_the_envelope(client):
    response = await client.get("/category/tidak-ada/1")
    assert response.status_code == 404
    assert response.json()["message"] == "Kategori tidak ditemukan"
    english = await client.get("/category/tidak-ada/1", headers={"Accept-Language": "en"})
    assert english.json()["message"] == "Category not found"


async def test_category_page_costs_three_statements(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        fiksi = await make_category(db, "fiksi")
        for _ in range(25):
            await file_product(db, await make_product(db, author), fiksi)
        await db.commit()
    async with count_statements(database) as log:
        body = (await client.get("/category/fiksi/2")).json()
    assert len(body["data"]) == 5
    assert log.count == 3, log.statements


async def test_search_finds_products_and_bundles_by_name_with_one_count(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        book = await make_product(db, author, name="Laut Bercerita", created_at=_at(1))
        await make_product(db, author, name="Hujan")
        await make_product(db, author, name="Laut Draf", status="draft")
        await make_product(db, author, name="Laut Lama", deleted_at=NOW)
        pack = await make_bundle(db, author, name="Paket LAUT", created_at=_at(2))
        await make_bundle(db, author, name="Laut Terhapus", deleted_at=NOW)
        await db.commit()
    async with count_statements(database) as log:
        body = (await client.get("/search/laut/1")).json()
    assert log.count == 2, log.statements
    assert [(hit["kind"], hit["id"]) for hit in body["data"]] == [
        ("bundle", str(pack.id)),
        ("product", str(book.id)),
    ]
    assert body["pagination"] == {"page": 1, "limit": 20, "total": 2, "totalPages": 1}


async def test_search_takes_like_wildcards_literally(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        await make_product(db, author, name="Diskon 100% Hari Ini")
        await make_product(db, author, name="Diskon 1000 Hari")
        await make_product(db, author, name="snake_case")
        await make_product(db, author, name="snakeXcase")
        await db.commit()
    percent = (await client.get("/search/100%25/1")).json()
    assert [hit["name"] for hit in percent["data"]] == ["Diskon 100% Hari Ini"]
    underscore = (await client.get("/search/e_c")).json()
    assert [hit["name"] for hit in underscore["data"]] == ["snake_case"]


async def test_search_refuses_bad_input_with_422(client):
    assert (await client.get("/search/laut/0")).status_code == 422
    assert (await client.get("/search/" + "a" * 101)).status_code == 422
    response = await client.post("/search/laut", json={"slug": "a\x00b"})
    assert response.status_code in (200, 422)  # the path's slug wins; never a 500
    assert (await client.get("/search/a%00b/1")).status_code == 422


async def test_product_page_has_its_own_author_categories_and_related(client, database):
    async with database.sessionmaker() as db:
        first_author = await make_author(db, name="Penulis Pertama")
        author = await make_author(db, name="Leila S. Chudori", avatar="/a.webp")
        fiksi = await make_category(db, "fiksi")
        sains = await make_category(db, "sains")
        item = await make_product(db, author, name="Laut Bercerita", slug="laut-bercerita")
        await file_product(db, item, fiksi)
        related = await make_product(db, first_author)
        await file_product(db, related, fiksi)
        unrelated = await make_product(db, first_author)
        await file_product(db, unrelated, sains)
        draft = await make_product(db, first_author, status="draft")
        await file_product(db, draft, fiksi)
        await db.commit()
    async with count_statements(database) as log:
        response = await client.get("/product/laut-bercerita")
    assert log.count == 3, log.statements
    body = response.json()["data"]
    assert body["id"] == str(item.id)
    assert body["author"] == {"id": str(author.id), "name": "Leila S. Chudori", "avatar": "/a.webp"}
    assert body["categories"] == [{"id": str(fiksi.id), "name": "Fiksi", "slug": "fiksi"}]
    assert [row["id"] for row in body["related"]] == [str(related.id)]
    assert "product_file" not in body


async def test_unpublished_or_unknown_product_is_404(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        await make_product(db, author, slug="draf", status="draft")
        await make_product(db, author, slug="dihapus", deleted_at=NOW)
        await db.commit()
    for slug in ("draf", "dihapus", "tidak-ada"):
        response = await client.get(f"/product/{slug}")
        assert response.status_code == 404, slug
        assert response.json()["message"] == "Produk tidak ditemukan"


async def test_related_products_are_at_most_ten(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        fiksi = await make_category(db, "fiksi")
        item = await make_product(db, author, slug="utama")
        await file_product(db, item, fiksi)
        for _ in range(12):
            await file_product(db, await make_product(db, author), fiksi)
        await db.commit()
    body = (await client.get("/product/utama")).json()["data"]
    assert len(body["related"]) == 10


async def test_bundle_page_shows_published_products_categories_and_related(client, database):
    async with database.sessionmaker() as db:
        author = await make_author(db, name="Andrea Hirata")
        fiksi = await make_category(db, "fiksi")
        inside = await make_product(db, author, name="A")
        hidden = await make_product(db, author, name="B", status="paused")
        outside = await make_product(db, author)
        await file_product(db, inside, fiksi)
        await file_product(db, outside, fiksi)
        await make_bundle(
            db, author, [inside, hidden], [fiksi], slug="paket-laskar", name="Paket Laskar"
        )
        await make_bundle(db, author, [inside], slug="paket-draf", status="draft")
        await db.commit()
    async with count_statements(database) as log:
        response = await client.get("/bundle/paket-laskar")
    assert log.count == 4, log.statements
    body = response.json()["data"]
    assert body["name"] == "Paket Laskar"
    assert body["author"]["name"] == "Andrea Hirata"
    assert [(row["id"], row["qty"]) for row in body["products"]] == [(str(inside.id), 1)]
    assert [row["slug"] for row in body["categories"]] == ["fiksi"]
    assert [row["id"] for row in body["related"]] == [str(outside.id)]
    for slug in ("paket-draf", "tidak-ada"):
        missing = await client.get(f"/bundle/{slug}")
        assert missing.status_code == 404
        assert missing.json()["message"] == "Paket tidak ditemukan"
