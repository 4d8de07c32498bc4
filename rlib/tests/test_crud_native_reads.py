"""The compiled read path gives exactly what the session gives, for every column type we use."""

import datetime as dt
import uuid
from decimal import Decimal

import orjson
import pytest
from sqlalchemy import select

from fixture_apps.library import resources
from fixture_apps.library.models import Mood, Specimen
from rlib.envelope import dumps
from rlib.scope import Scope

FULL = {
    "name": "full",
    "data": {"a": [1, 2], "b": {"c": "d"}},
    "tags": ["x", "y"],
    "price": Decimal("12.35"),
    "ratio": 0.5,
    "taken_at": dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
    "born_on": dt.date(2001, 2, 3),
    "active": True,
    "mood": Mood.LOUD,
    "status": "published",
}
EMPTY = {"name": "empty"}


@pytest.fixture
async def specimens(lib):
    ids = []
    async with lib.database.sessionmaker() as session:
        for index, values in enumerate((FULL, EMPTY)):
            row = Specimen(**values, id=uuid.uuid4(), id_writer=lib.writers[index])
            session.add(row)
            ids.append(row.id)
        await session.commit()
    return ids


async def _through_session(lib, stmt):
    async with lib.database.sessionmaker() as session:
        result = await session.execute(stmt)
        return [dict(row._mapping) for row in result]


async def _through_executor(lib, stmt, *, readonly):
    unit = lib.database.unit(readonly=readonly)
    try:
        return await resources.specimen.resource.executor.rows(Scope(unit), stmt, {})
    finally:
        await unit.rollback()
        await unit.close()


@pytest.mark.parametrize("readonly", [True, False], ids=["read-only-unit", "write-unit"])
async def test_executor_rows_equal_the_session_rows(lib, specimens, readonly):
    stmt = select(*Specimen.__table__.c).order_by(Specimen.name)
    expected = await _through_session(lib, stmt)
    got = await _through_executor(lib, stmt, readonly=readonly)
    assert got == expected
    assert [type(v) for v in got[1].values()] == [type(v) for v in expected[1].values()]
    full = got[1]
    assert full["data"] == FULL["data"]
    assert full["tags"] == ["x", "y"]
    assert full["mood"] is Mood.LOUD
    assert full["active"] is True
    assert full["taken_at"] == FULL["taken_at"]
    assert full["taken_at"].tzinfo is not None


def _as_json(row):
    return orjson.loads(dumps(row))


async def test_get_and_list_answer_what_the_session_reads(lib, specimens):
    stmt = select(*Specimen.__table__.c).order_by(Specimen.name)
    expected = [_as_json(row) for row in await _through_session(lib, stmt)]
    listed = await lib.http.get("/api/library/specimen", params={"include": ""})
    assert listed.status_code == 200, listed.text
    assert listed.json()["data"] == expected
    fetched = await lib.http.get(f"/api/library/specimen/{specimens[0]}")
    assert fetched.status_code == 200, fetched.text
    body = fetched.json()["data"]
    writer = body.pop("writer")
    assert body == expected[1]
    assert body["data"] == {"a": [1, 2], "b": {"c": "d"}}  # an object, not a JSON string
    assert (body["price"], body["mood"], body["active"]) == ("12.35", "loud", True)
    assert uuid.UUID(writer["id"]) == lib.writers[0]


async def test_included_rows_are_processed_too(lib, specimens):
    listed = await lib.http.get("/api/library/specimen", params={"include": "writer"})
    assert listed.status_code == 200, listed.text
    writers = [row["writer"] for row in listed.json()["data"]]
    assert all(w["created_at"].endswith("Z") for w in writers)
