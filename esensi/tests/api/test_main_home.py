"""The store's home page and page shells through HTTP."""

import datetime as dt
import json

from factories import make_author, make_cfg
from factories.store import (
    file_product,
    make_banner,
    make_bundle,
    make_category,
    make_product,
)
from rlib.testing.statements import count_statements

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)


async def _home(database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        fiksi = await make_category(db, "fiksi", idx=1)
        romansa = await make_category(db, "romansa", id_parent=fiksi.id)
        await make_category(db, "anak", idx=0, img="/anak.webp")
        await make_category(db, "lama", deleted_at=NOW)
        products = []
        for n in range(14):
            product = await make_product(
                db, author, slug=f"buku-{n}", created_at=NOW + dt.timedelta(days=n)
            )
            products.append(product)
        await file_product(db, products[2], romansa)
        await file_product(db, products[1], fiksi)
        await make_product(db, author, slug="draf", status="draft")
        await make_cfg(db, "featured", json.dumps(["buku-3", "draf", "tidak-ada", "buku-0"]))
        await make_banner(db, "banner-default", idx=2)
        await make_banner(db, "banner-default", idx=1, link="/promo")
        await make_banner(db, "banner-default", status="inactive")
        await make_banner(db, "bundle-square")
        await make_banner(db, "banner-lain")
        for n in range(5):
            await make_bundle(db, author, created_at=NOW + dt.timedelta(days=n))
        await make_bundle(db, author, status="draft")
        await db.commit()
    return products


async def test_home_page_shows_latest_categories_featured_banners_and_bundles(client, database):
    products = await _home(database)
    async with count_statements(database) as log:
        response = await client.get("/")
    assert log.count == 6, log.statements
    body = response.json()["data"]
    assert [row["slug"] for row in body["latest"]] == [f"buku-{n}" for n in range(13, 1, -1)]
    assert [row["slug"] for row in body["categories"]] == ["anak", "fiksi"]
    assert body["categories"][0]["img"] == "/anak.webp"
    assert [row["slug"] for row in body["featured"]] == ["buku-3", "buku-0"]
    default = body["banners"]["banner-default"]
    assert [banner["link"] for banner in default] == ["/promo", None]
    assert len(body["banners"]["bundle-square"]) == 1
    assert set(body["banners"]) == {"banner-default", "bundle-square"}
    assert len(body["bundles"]) == 4
    assert products


async def test_home_page_narrows_latest_to_a_category_and_its_children(client, database):
    products = await _home(database)
    async with count_statements(database) as log:
        body = (await client.get("/?category=fiksi&limit=24")).json()["data"]
    assert log.count == 6, log.statements  # the one tree query also finds the subtree
    assert [row["id"] for row in body["latest"]] == [str(products[2].id), str(products[1].id)]
    missing = await client.get("/?category=tidak-ada")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Kategori tidak ditemukan"


async def test_home_page_limit_is_at_most_24(client):
    assert (await client.get("/?limit=25")).status_code == 422
    assert (await client.get("/?limit=0")).status_code == 422
    assert (await client.get("/?limit=24")).status_code == 200


async def test_home_page_without_featured_cfg_shows_none(client, database):
    body = (await client.get("/")).json()["data"]
    assert body["featured"] == []
    assert body["banners"] == {"banner-default": [], "bundle-square": []}


async def test_page_shells_answer_empty_data(client):
    for url in ("/login", "/otp", "/resetpass"):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.json()["data"] == {}
        assert (await client.post(url, json={})).json()["data"] == {}
