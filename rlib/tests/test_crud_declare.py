"""Declarations that could leak or confuse fail at start-up; the estimated count on PostgreSQL."""

import os

import pytest
from crud_support import library_app
from pydantic import BaseModel

from fixture_apps.library.models import Novel, Writer
from rlib.crud import crud_handler, op
from rlib.testing.statements import count_statements

BOTH_DB_PATHS = True  # each database test runs with the fast paths on and off


class WithAction(BaseModel):
    title: str
    action: str


class OwnerSetter(BaseModel):
    title: str
    id_writer: str


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"create": {"schema": WithAction}}, "action"),
        (
            {
                "create": {"schema": OwnerSetter},
                "scope": {"field": "id_writer", "value": lambda c: None},
            },
            "server-owned",
        ),
        ({"list": {"filters": {"secret_note": op.eq}}}, "sensitive"),
        ({"list": {"sortable": ["secret_note"]}}, "sensitive"),
        ({"list": {"search_fields": ["nope"]}}, "no column"),
        ({"list": {"include": ["nothing"]}}, "no relationship"),
        ({"soft_delete": {"enabled": True, "field": "gone_at"}}, "soft delete"),
    ],
)
def test_dangerous_declarations_fail_at_start_up(options, message):
    with pytest.raises(TypeError, match=message):
        crud_handler(Novel, {"name": "n", "url": "/n", **options})


def test_sensitive_columns_can_be_declared_in_the_options():
    resource = crud_handler(Writer, {"name": "w", "url": "/w", "sensitive": ["name"]})
    assert "name" not in resource.resource.meta.columns


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("ESENSI_TEST_DATABASE_URL"), reason="PostgreSQL planner only"
)
@pytest.mark.parametrize("backend", ["postgresql"], indirect=False)
async def test_estimated_count_uses_the_planner_above_the_threshold(library_db):
    async with library_app(library_db) as lib:
        lib.sign_in(0)
        await lib.http.post("/api/library/novel", json={"title": "a", "slug": "a"})
        lib.sign_in(None)
        async with count_statements(lib.database) as log:
            body = (await lib.http.get("/api/library/novel-estimated")).json()
    assert body["pagination"]["total"] >= 1
    assert any(s.startswith("EXPLAIN") for s in log.statements)
    assert not any("count(" in s.lower() for s in log.statements)


def _get_urls(options: dict) -> set[str]:
    resource = crud_handler(Novel, {"name": "n", "url": "/n", **options})
    (found,) = [e for e in resource.rlib_endpoints() if e.name == "n_get"]
    return {found.url, *(url for url, _ in found.routes)}


def test_get_mounts_the_per_operation_url_unless_told_not_to():
    assert _get_urls({}) == {"/n/{id}", "/n/get"}
    # a custom endpoint may then own <url>/get; the REST route and the dispatcher stay
    assert _get_urls({"get": {"operation_url": False}}) == {"/n/{id}"}
