"""With real sessions: a signed-in reader's store pages are never stored by a shared cache."""

from __future__ import annotations

from auth_helpers import sign_in

from factories import make_author
from factories.logins import add_profile, make_login
from factories.store import make_product


async def _customer_signed_in(web, database) -> None:
    async with database.sessionmaker() as db:
        user = await make_login(db)
        await add_profile(db, user, "customer", email=user.email)
        await make_product(db, await make_author(db), slug="laut")
        await db.commit()
    await sign_in(web, user.email)


async def test_an_anonymous_product_page_is_public(web, database):
    async with database.sessionmaker() as db:
        await make_product(db, await make_author(db), slug="laut")
        await db.commit()
    response = await web.get("/product/laut")
    assert response.headers["cache-control"] == "public, max-age=0, s-maxage=60"


async def test_a_signed_in_readers_public_page_is_private(web, database):
    await _customer_signed_in(web, database)
    response = await web.get("/product/laut")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-cache"
    assert "etag" in response.headers


async def test_a_signed_in_readers_profile_is_no_store(web, database):
    await _customer_signed_in(web, database)
    response = await web.get("/profile")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers
