"""Profile links taken from the login side (``auth_user.id_<type>``) where the profile lacks
one; the profile side wins a disagreement, one profile of a type per login, all reported."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from import_original.original_data import Planted
from import_original.original_source import (
    connect,
    filled_source,
)
from sqlalchemy import select

from esensi.importer.login_links import CLEARED, resolve_links
from esensi.importer.report import Report
from esensi.importer.run import run_import
from esensi.models import metadata
from rlib.db.engine import Database

PG_URL = os.environ.get("ESENSI_TEST_DATABASE_URL")
PROFILES = ("customer", "author", "publisher", "affiliate", "internal")


def test_the_profile_side_wins_and_the_login_side_fills_the_gaps() -> None:
    u1, u2, u3, u4, ghost = (uuid.uuid4() for _ in range(5))
    p1, p2, p3, p4, p5 = (uuid.uuid4() for _ in range(5))
    rows: list[Any] = [
        {"id": p1, "id_user": u1},  # own link; u2 points here too
        {"id": p2, "id_user": ghost},  # orphan; u3 and u4 point here: u3 (older) linked
        {"id": p3, "id_user": None},  # u1 points here, but u1 holds p1
        {"id": p4, "id_user": u1},  # u1 already claimed by p1
        {"id": p5, "id_user": None},  # nobody points here
    ]
    pointing = {p1: [u2], p2: [u3, u4], p3: [u1]}
    links = resolve_links("author", rows, {u1, u2, u3, u4}, pointing)
    assert links[p1] == (u1, ["auth_user.id_author of another login disagrees: profile side kept"])
    assert links[p2] == (
        u3,
        [CLEARED, "linked from auth_user.id_author", "1 more login(s) point here: not linked"],
    )
    assert links[p3] == (
        None,
        ["auth_user.id_author login already holds another author: not linked"],
    )
    assert links[p4] == (None, [CLEARED])
    assert links[p5] == (None, [])
    linked = [user for user, _ in links.values() if user is not None]
    assert len(linked) == len(set(linked))


@pytest.fixture(scope="module")
def source_url() -> Iterator[tuple[str, Planted]]:
    with filled_source(seed=5, users=120, products=30, orders=10) as made:
        yield made


def _repairs(report: Report, table: str) -> str:
    return " | ".join(reason for reason, _ in report.table(table).repaired)


async def _links(database: Database) -> dict[str, dict[Any, Any]]:
    async with database.engine.connect() as conn:
        return {
            name: {
                row[0]: row[1]
                for row in await conn.execute(
                    select(metadata.tables[name].c.id, metadata.tables[name].c.id_user)
                )
            }
            for name in PROFILES
        }


async def _source_facts(url: str) -> dict[str, Any]:
    conn = await connect(url)
    try:
        return {
            "pointing": {
                name: {
                    (r["p"], r["id"])
                    for r in await conn.fetch(
                        f"SELECT id, id_{name} AS p FROM auth_user WHERE id_{name} IS NOT NULL"
                    )
                }
                for name in PROFILES
            },
            "several": await conn.fetchval(
                "SELECT u.id FROM auth_user u JOIN affiliate a ON a.id = u.id_affiliate "
                "WHERE a.name = 'Mitra Tiga' ORDER BY u.created_at, u.id LIMIT 1"
            ),
            "names": {
                r["name"]: r["id"]
                for r in await conn.fetch(
                    "SELECT id, name FROM affiliate UNION ALL SELECT id, name FROM internal "
                    "UNION ALL SELECT id, name FROM publisher"
                )
            },
        }
    finally:
        await conn.close()


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs ESENSI_TEST_DATABASE_URL (CI always sets it)")
async def test_login_side_links_are_used_where_the_profile_lacks_one(
    source_url: tuple[str, Planted], database: Database
) -> None:
    url, planted = source_url
    report = await run_import(url, database)
    for name in PROFILES:
        table = report.table(name)
        assert table.source == planted.rows[name], name
        assert table.imported + len(table.rejected) == table.source, name
    facts, links = await _source_facts(url), await _links(database)
    dirty = planted.dirty
    assert _repairs(report, "author").count("linked from auth_user") == dirty["login_side_link"]
    assert _repairs(report, "publisher").count("disagrees") == dirty["login_side_conflict"]
    affiliates = _repairs(report, "affiliate")
    assert affiliates.count("more login(s) point here") == dirty["login_side_several"]
    assert affiliates.count("already holds another") == dirty["login_side_taken"]
    assert _repairs(report, "internal").count("linked from") == dirty["login_side_staff"]
    names = facts["names"]
    assert links["affiliate"][names["Mitra Tiga"]] == facts["several"]
    assert links["affiliate"][names["Mitra Dua"]] is None
    assert links["internal"][names["Staf Lewat Login"]] is not None
    publisher_two = names["Penerbit Dua"]
    assert (publisher_two, links["publisher"][publisher_two]) not in facts["pointing"]["publisher"]
    # Every imported customer is pointed at by its login, so every one ends up linked,
    # the orphans of the profile side included.
    customers = _repairs(report, "customer")
    assert customers.count("linked from auth_user.id_customer") == dirty["orphan_customer_user"]
    assert None not in links["customer"].values()
    assert all((c, u) in facts["pointing"]["customer"] for c, u in links["customer"].items())
    for name in PROFILES:
        linked = [u for u in links[name].values() if u is not None]
        assert len(linked) == len(set(linked)), name
    again = await run_import(url, database)
    assert await _links(database) == links
    for name in PROFILES:
        assert again.table(name).repaired == report.table(name).repaired, name
