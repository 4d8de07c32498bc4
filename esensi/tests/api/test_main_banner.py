"""The store's banners, through HTTP."""

import datetime as dt

from esensi.models.cms import Banner
from rlib.testing.statements import count_statements


async def _banners(database):
    async with database.sessionmaker() as session:
        session.add_all(
            [
                Banner(title="banner-default", banner_file=["b.webp"], idx=2),
                Banner(title="banner-default", banner_file=["a.webp"], idx=1, link="/promo"),
                Banner(title="banner-default", banner_file=["off.webp"], status="inactive"),
                Banner(
                    title="banner-default",
                    banner_file=["gone.webp"],
                    deleted_at=dt.datetime.now(dt.UTC),
                ),
                Banner(title="banner-home", banner_file=["home.webp"]),
            ]
        )
        await session.commit()


async def test_banner_serves_active_banners_of_the_slot_in_order(client, database):
    await _banners(database)
    body = (await client.get("/api/banner")).json()
    assert body["success"] is True
    banners = body["data"]["banners"]
    assert [b["banner_file"] for b in banners] == [["a.webp"], ["b.webp"]]
    assert banners[0]["link"] == "/promo"


async def test_banner_picks_the_slot_and_only_the_first_unless_multiple(client, database):
    await _banners(database)
    home = (await client.post("/api/banner", json={"for": "home"})).json()
    assert [b["banner_file"] for b in home["data"]["banners"]] == [["home.webp"]]
    first = (await client.post("/api/banner", json={"multiple": False})).json()
    assert [b["banner_file"] for b in first["data"]["banners"]] == [["a.webp"]]


async def test_banner_refuses_a_bad_multiple_with_422(client, database):
    response = await client.post("/api/banner", json={"multiple": "sometimes"})
    assert response.status_code == 422
    assert response.json()["success"] is False


async def test_banner_takes_one_statement(client, database):
    await _banners(database)
    async with count_statements(database) as log:
        body = (await client.get("/api/banner")).json()
    assert len(body["data"]["banners"]) == 2
    assert log.count == 1, log.statements
