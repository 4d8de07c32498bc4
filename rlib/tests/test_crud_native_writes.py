"""The create action's native path: same transaction as ctx.db, same errors, defaults applied."""

import asyncio
import logging
import uuid

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from fixture_apps.library.models import Base, Genre, Novel, Shelf
from rlib.db.integrity import map_db_error
from rlib.errors import ValidationError
from rlib.i18n import Catalogue, render_field_error
from rlib.testing.statements import count_statements


async def _count(lib, model, **where):
    async with lib.database.sessionmaker() as session:
        stmt = select(func.count()).select_from(model).filter_by(**where)
        return await session.scalar(stmt)


async def _post_novel(lib, title, slug):
    return await lib.http.post("/api/library/novel", json={"title": title, "slug": slug})


async def test_after_hook_writes_commit_with_the_row(lib):
    response = await _post_novel(lib, "Kept", "genre-kept")
    assert response.status_code == 201, response.text
    assert await _count(lib, Novel, slug="genre-kept") == 1
    assert await _count(lib, Genre, name="after-genre-kept") == 1


async def test_after_hook_failure_undoes_the_row_and_the_hook_writes(lib):
    response = await _post_novel(lib, "Fails", "genre-then-fail")
    assert response.status_code == 409
    assert await _count(lib, Novel, slug="genre-then-fail") == 0
    assert await _count(lib, Genre, name="after-genre-then-fail") == 0


async def test_before_hook_session_and_insert_share_one_transaction(lib):
    kept = await _post_novel(lib, "genre first", "kept-first")
    assert kept.status_code == 201, kept.text
    assert await _count(lib, Genre, name="before-kept-first") == 1
    failed = await _post_novel(lib, "genre first", "first-then-fail")
    assert failed.status_code == 409
    assert await _count(lib, Genre, name="before-first-then-fail") == 0
    assert await _count(lib, Novel, slug="first-then-fail") == 0


async def test_python_defaults_are_applied(lib):
    created = (await _post_novel(lib, "Defaults", "defaults")).json()["data"]
    assert uuid.UUID(created["id"]).version == 7
    assert (created["version"], created["status"], created["pages"]) == (1, "draft", 0)
    assert created["created_at"].endswith("Z")
    assert created["updated_at"].endswith("Z")
    shelf = await lib.http.post("/api/library/shelf", json={"name": "atlas", "note": "n"})
    assert shelf.status_code == 201, shelf.text
    assert shelf.json()["data"]["code"] == "ATL"  # a default reading the other parameters


async def test_a_plain_create_runs_one_insert_and_nothing_else(lib):
    async with count_statements(lib.database) as log:
        response = await lib.http.post("/api/library/shelf", json={"name": "solo", "note": "n"})
    assert response.status_code == 201
    assert len(log.statements) == 1
    assert log.statements[0].startswith("INSERT INTO shelf")
    assert [s.split()[0].rstrip(";") for s in log.housekeeping] == ["BEGIN", "COMMIT"]


VIOLATIONS = [
    pytest.param({"name": "dup", "note": "n"}, id="unique"),
    pytest.param({"name": "fk", "note": "n", "id_writer": str(uuid.uuid4())}, id="foreign-key"),
    pytest.param({"name": "nn"}, id="not-null"),
    pytest.param({"name": "check", "note": "n", "rank": -1}, id="check"),
    pytest.param({"name": "range", "note": "n", "rank": 2**40}, id="out-of-range"),
    pytest.param({"name": "x" * 40, "note": "n"}, id="too-long"),
]


@pytest.mark.parametrize("body", VIOLATIONS)
async def test_integrity_answers_match_the_session_path(lib, body):
    await lib.http.post("/api/library/shelf", json={"name": "dup", "note": "n"})
    response = await lib.http.post("/api/library/shelf", json=body)
    expected = await _session_path_error(lib, body)
    assert response.status_code == expected.status
    answer = response.json()
    catalogue = Catalogue()
    assert answer["message"] == catalogue.text(expected.message_key, "id", expected.params)
    if isinstance(expected, ValidationError):
        rendered = [render_field_error(catalogue, item, "id") for item in expected.errors]
        assert answer["errors"] == rendered
    async with lib.database.sessionmaker() as session:
        names = list(await session.scalars(select(Shelf.name)))
    assert names == ["dup"]  # the failed insert left nothing behind


async def _session_path_error(lib, body):
    values = {"rank": 0, "note": None, **body, "id": uuid.uuid4(), "code": "X"}
    if "id_writer" in values:
        values["id_writer"] = uuid.UUID(values["id_writer"])
    async with lib.database.sessionmaker() as session:
        with pytest.raises(SQLAlchemyError) as raised:
            await session.execute(insert(Shelf.__table__), values)
    mapped = map_db_error(raised.value, Base.metadata)
    assert mapped is not None
    return mapped


async def test_concurrent_creates_return_overflow_connections_cleanly(lib, caplog):
    # More requests than the pool holds: connections beyond its size are closed on check-in.
    async def create(index):
        body = {"name": f"many-{index}", "note": "n"}
        return (await lib.http.post("/api/library/shelf", json=body)).status_code

    with caplog.at_level(logging.ERROR):
        statuses = await asyncio.gather(*(create(index) for index in range(12)))
    assert statuses == [201] * 12
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
