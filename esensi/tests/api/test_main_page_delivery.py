"""How the store's pages travel: ETag and 304, shared-cache lifetimes, the SPA shell."""

import json
import re
import uuid

import pytest

from esensi.app import build_app
from esensi.settings import Settings
from factories import login_as, make_author
from factories.store import make_customer, make_product
from rlib.testing import app_client

BROWSER = "text/html,application/xhtml+xml,*/*;q=0.8"
PUBLIC_PAGES = (
    "/",
    "/browse",
    "/search/laut",
    "/product/laut",
    "/login",
    "/otp",
    "/resetpass",
    "/bundles",
    "/api/banner",
    "/api/header",
)


@pytest.fixture
async def laut(database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        product = await make_product(db, author, name="Laut </script>", slug="laut")
        await db.commit()
    return product


async def test_public_pages_carry_an_etag_and_answer_304_when_unchanged(client, laut):
    for url in PUBLIC_PAGES:
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.headers["cache-control"] == "public, max-age=0, s-maxage=60", url
        etag = response.headers["etag"]
        again = await client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.content == b""


async def test_a_new_product_changes_the_listings_etag_not_the_products(client, database, laut):
    browse_etag = (await client.get("/browse")).headers["etag"]
    product_etag = (await client.get("/product/laut")).headers["etag"]
    async with database.sessionmaker() as db:
        await make_product(db, await make_author(db), name="Laut Kedua")
        await db.commit()
    browse = await client.get("/browse", headers={"If-None-Match": browse_etag})
    assert browse.status_code == 200
    assert browse.headers["etag"] != browse_etag
    product = await client.get("/product/laut", headers={"If-None-Match": product_etag})
    assert product.status_code == 304


async def test_profile_pages_are_never_cached(client, database, auth):
    async with database.sessionmaker() as db:
        customer = await make_customer(db)
        await db.commit()
    login_as(auth, uuid.uuid4(), customer=customer.id)
    response = await client.get("/profile")
    assert response.status_code == 200
    assert "etag" not in response.headers
    assert "public" not in response.headers.get("cache-control", "")


def _app(database, auth, **web):
    settings = Settings(env="test", database_url=database.config.url, web=web)
    built = build_app(settings, authenticator=auth)
    built.use_database(database)
    return built


async def test_shared_max_age_is_set_per_endpoint_in_settings(database, auth, laut):
    app = _app(database, auth, shared_max_age={"main.product": 3600})
    async with app_client(app) as http:
        product = await http.get("/product/laut")
        assert product.headers["cache-control"] == "public, max-age=0, s-maxage=3600"
        browse = await http.get("/browse")
        assert browse.headers["cache-control"] == "public, max-age=0, s-maxage=60"


async def test_a_browser_gets_the_frontend_with_the_page_data_embedded(
    database, auth, laut, tmp_path
):
    index = tmp_path / "index.html"
    index.write_text("<html><head></head><body><div id=app></div></body></html>")
    app = _app(database, auth, index_html=str(index))
    async with app_client(app) as http:
        as_json = (await http.get("/product/laut")).json()
        page = await http.get("/product/laut", headers={"Accept": BROWSER})
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.text.count("</script>") == 1
        found = re.search(
            r'<script id="page-data" type="application/json">(.*?)</script>', page.text
        )
        assert found is not None
        assert json.loads(found.group(1)) == as_json
        missing = await http.get("/product/tidak-ada", headers={"Accept": BROWSER})
        assert missing.status_code == 404
        assert '"status":404' in missing.text
        api = await http.get("/api/banner", headers={"Accept": BROWSER})
        assert api.headers["content-type"].startswith("application/json")


def test_a_missing_frontend_build_is_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="ESENSI_WEB__INDEX_HTML"):
        Settings(web={"index_html": str(tmp_path / "nowhere.html")})
    with pytest.raises(ValueError, match="never negative"):
        Settings(web={"shared_max_age": {"main.browse": -1}})
