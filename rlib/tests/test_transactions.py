"""One request is one transaction; after-commit effects run only after a successful commit."""

import pytest
from sqlalchemy import text

from fixture_apps.shop import effects
from rlib import Ctx, define_api
from rlib.db.tx import UnitOfWork

BOTH_DB_PATHS = True  # each database test runs with the fast paths on and off


@pytest.fixture(autouse=True)
def _clear_effects():
    effects.EFFECTS.clear()


async def test_on_commit_runs_after_commit(client):
    response = await client.post("/api/shop/effect/run", json={"label": "ok"})
    assert response.status_code == 200
    assert effects.EFFECTS == ["ok"]
    assert (await client.get("/api/shop/item/list")).json()["pagination"]["total"] == 1


async def test_on_commit_does_not_run_after_rollback(client):
    response = await client.post("/api/shop/effect/run", json={"label": "no", "fail": True})
    assert response.status_code == 409
    assert effects.EFFECTS == []
    assert (await client.get("/api/shop/item/list")).json()["pagination"]["total"] == 0


async def test_on_commit_does_not_run_when_the_commit_fails(client):
    await client.post("/api/shop/effect/run", json={"label": "same"})
    effects.EFFECTS.clear()
    response = await client.post("/api/shop/effect/run", json={"label": "same"})
    assert response.status_code == 409
    assert effects.EFFECTS == []


async def test_a_handler_commits_explicit_blocks_without_declaring_anything(client):
    kept = await client.post("/api/shop/effect/steps", json={"label": "a", "fail": True})
    assert kept.status_code == 409
    listed = (await client.get("/api/shop/item/list")).json()["data"]
    assert [row["sku"] for row in listed] == ["a-1"]  # the block committed, the rest rolled back
    done = await client.post("/api/shop/effect/steps", json={"label": "b"})
    assert done.status_code == 200
    assert (await client.get("/api/shop/item/list")).json()["pagination"]["total"] == 3


def test_an_option_that_would_do_nothing_is_refused():
    async def handler(ctx: Ctx) -> None: ...

    with pytest.raises(TypeError, match="tx"):
        define_api(name="x_run", url="/x", handler=handler, tx="explicit")


async def test_failing_after_commit_callback_is_logged_not_raised(database, caplog):
    unit = database.unit()
    ran: list[str] = []

    def boom() -> None:
        raise RuntimeError("announce failed")

    unit.on_commit(boom)
    unit.on_commit(lambda: ran.append("second"))
    await unit.commit()
    await unit.close()
    assert ran == ["second"]
    assert any("after-commit callback failed" in r.message for r in caplog.records)


async def test_explicit_transaction_blocks_commit_each(database):
    from sqlalchemy import func, select

    from fixture_apps.shop.models import Shelf

    unit: UnitOfWork = database.unit()
    async with unit.transaction() as session:
        session.add(Shelf(name="one"))

    async def failing_block() -> None:
        async with unit.transaction() as session:
            session.add(Shelf(name="two"))
            await session.flush()
            raise RuntimeError("remote call failed")

    with pytest.raises(RuntimeError):
        await failing_block()
    async with database.sessionmaker() as check:
        assert await check.scalar(select(func.count()).select_from(Shelf)) == 1
    await unit.close()


async def test_a_separate_block_outlives_its_units_rollback_and_rolls_back_alone(database):
    from sqlalchemy import func, select

    from fixture_apps.shop.models import Shelf

    unit: UnitOfWork = database.unit()
    async with unit.separately() as sibling:  # e.g. a throttle counter, written first
        sibling.session.add(Shelf(name="kept"))

    async def failing_block() -> None:
        async with unit.separately() as sibling:
            sibling.session.add(Shelf(name="dropped"))
            await sibling.session.flush()
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        await failing_block()
    unit.session.add(Shelf(name="request"))
    await unit.session.flush()
    await unit.rollback()
    await unit.close()
    async with database.sessionmaker() as check:
        names = (await check.scalars(select(Shelf.name))).all()
        assert names == ["kept"]
        assert await check.scalar(select(func.count()).select_from(Shelf)) == 1


async def test_read_only_units_get_a_driver_connection(database, fast_path):
    readonly = database.unit(readonly=True)
    driver = await readonly.driver()
    if not fast_path:  # every statement goes through the session
        assert driver is None
    elif database.dialect == "postgresql":  # the native pool's asyncpg connection
        assert await driver.fetchval("SELECT 1") == 1
    else:  # a raw aiosqlite connection of the engine's pool, in autocommit
        assert list(await driver.execute_fetchall("SELECT 1")) == [(1,)]
        assert not driver.in_transaction
    await readonly.close()
    writing = database.unit()
    assert await writing.driver() is None  # writes always go through the session's transaction
    await writing.close()


async def test_a_session_joins_a_sqlite_read_only_units_connection(database, fast_path):
    readonly = database.unit(readonly=True)
    driver = await readonly.driver()
    assert await readonly.session.scalar(text("SELECT 1")) == 1
    raw = (await (await readonly.session.connection()).get_raw_connection()).driver_connection
    joined = fast_path and database.dialect == "sqlite"
    assert (raw is driver) is joined  # one connection per request
    await readonly.commit()
    await readonly.close()
