"""The store's bundle listing, through HTTP."""

from decimal import Decimal

from esensi.models.bundle import Bundle
from factories import make_author
from rlib.testing.statements import count_statements


async def _bundles(database, published: int):
    async with database.sessionmaker() as session:
        author = await make_author(session)
        for n in range(published):
            session.add(
                Bundle(
                    name=f"Paket {n}",
                    slug=f"paket-{n}",
                    real_price=Decimal(10_000),
                    id_author=author.id,
                    status="published",
                )
            )
        session.add(Bundle(name="Draf", slug="draf", real_price=Decimal(1), id_author=author.id))
        await session.commit()


async def test_bundles_lists_published_bundles_twenty_a_page(client, database):
    await _bundles(database, published=21)
    first = (await client.get("/bundles")).json()
    assert first["success"] is True
    assert len(first["data"]) == 20
    assert first["pagination"] == {"page": 1, "limit": 20, "total": 21, "totalPages": 2}
    second = (await client.get("/bundles/2")).json()
    assert len(second["data"]) == 1
    names = {item["name"] for item in first["data"] + second["data"]}
    assert "Draf" not in names


async def test_bundles_refuses_page_zero_with_422(client, database):
    response = await client.get("/bundles/0")
    assert response.status_code == 422
    assert response.json()["success"] is False


async def test_bundles_page_takes_one_count_and_one_select(client, database):
    await _bundles(database, published=25)
    async with count_statements(database) as log:
        body = (await client.get("/bundles/2")).json()
    assert len(body["data"]) == 5
    assert log.count == 2, log.statements
