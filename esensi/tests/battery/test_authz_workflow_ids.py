"""Z5: workflow endpoints taking an id (not CRUD): another owner's id answers like a missing
one, for every non-owner the route admits (issue 19 deliverable 2)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from authz_matrix import (
    Caller,
    Tally,
    fill,
    fresh,
    id_fields,
    owner_columns_of,
    record,
    routes,
    sample_body,
    sample_of,
    stranger,
    table_of,
)
from authz_world import (
    World,
)
from battery_support import sized
from sqlalchemy import Table, select

from esensi.models import metadata
from esensi.models.publisher import Publisher, PublisherAuthor
from esensi.services.ownership import managed_author_ids
from esensi.users import user_types
from rlib.auth.users import SessionUser
from rlib.registry import Route

pytestmark = [pytest.mark.battery, pytest.mark.xdist_group("authz_world")]


@dataclass(frozen=True)
class Owned_row:
    key: object
    owners: tuple[tuple[str, object], ...]  # (owner kind, owner id)


async def _owned_rows(
    world: World, table: Table, limit: int | None, column: str | None = None
) -> list[Owned_row]:
    """Rows of ``table`` with their owners, one per owner, first keys first (``column``: the
    value a request names them by, the key by default)."""
    chains = owner_columns_of(table)
    pk = next(iter(table.primary_key.columns))
    found: dict[object, Owned_row] = {}
    async with world.database.sessionmaker() as db:
        for row in (await db.execute(select(table).order_by(pk))).mappings().all():
            owners = []
            for chain, kind in chains:
                value = row[chain[0].name]
                if len(chain) == 2 and value is not None:
                    parent_key = next(iter(chain[1].table.primary_key.columns))
                    value = await db.scalar(select(chain[1]).where(parent_key == value))
                if value is not None:
                    owners.append((kind, value))
            if owners and owners[0] not in found and row[column or pk.name] is not None:
                found[owners[0]] = Owned_row(row[column or pk.name], tuple(owners))
            if limit is not None and len(found) >= limit:
                break
    return list(found.values())


def _admitted_kinds(route: Route) -> set[str]:
    entries = route.access.user_types or frozenset()
    if "any" in entries:
        return set(user_types().names) | {"login"}
    return {e.partition(":")[0] for e in entries} - {"internal"}


def _tables_for(route: Route, name: str, table: Table | None) -> list[tuple[Table, str | None]]:
    """The tables an id field may name: the one its name gives, else every table owned by a
    kind the route admits (a foreign id of any of them must read as a missing one)."""
    if table is not None:
        return [(table, None)] if owner_columns_of(table) else []
    kinds = _admitted_kinds(route)
    found = []
    for candidate in metadata.sorted_tables:
        owners = {kind for _, kind in owner_columns_of(candidate)}
        if not owners & kinds:
            continue
        if name in candidate.c:
            found.append((candidate, name))
        elif name in ("id", "ids") or name.startswith("id_"):
            found.append((candidate, None))  # named by its key
    return found


async def _sees_owned(db: Any, user: SessionUser, row: Owned_row) -> bool:
    for kind, owner in row.owners:
        if kind == "author":
            managed = await managed_author_ids(SimpleNamespace(user=user, db=db))  # type: ignore[arg-type]
            if owner == managed or (isinstance(managed, list) and owner in managed):
                return True
        elif kind == "login":
            if user.id == owner:
                return True
        elif user.profile_id(kind) == owner:
            return True
    return False


def _id_cases() -> list[tuple[Route, str, Table | None, str | None]]:
    """(route, id field, a table it may name, the column naming its rows) for every case;
    a field naming no owned table a route's callers could own comes once with no table."""
    found: list[tuple[Route, str, Table | None, str | None]] = []
    for route, name, table in _id_routes():
        tables = _tables_for(route, name, table)
        if table is None and not tables:
            found.append((route, name, None, None))
        found += [(route, name, t, column) for t, column in tables]
    return found


def _id_routes() -> list[tuple[Route, str, Table | None]]:
    """(route, id field, the table it names) for every non-CRUD signed-in route taking ids."""
    found = []
    for route in routes():
        endpoint = route.endpoint
        if endpoint.crud or route.access.public or endpoint.body != "json":
            continue
        for name in id_fields(endpoint.input_model):
            found.append((route, name, table_of(name, route.path)))
    return found


async def _id_actors(world: World, route: Route, row: Owned_row) -> list[Caller]:
    entries = route.access.user_types or frozenset()
    admitted = (
        set(user_types().names) if "any" in entries else {e.partition(":")[0] for e in entries}
    )
    owner_kinds = {kind for kind, _ in row.owners}
    kinds = admitted & (owner_kinds | ({"publisher"} if "author" in owner_kinds else set()))
    if "login" in owner_kinds:
        kinds |= admitted
    found = [Caller(f"{kind}:stranger", stranger(kind)) for kind in sorted(kinds - {"internal"})]
    async with world.database.sessionmaker() as db:
        for kind in sorted(kinds - {"internal"}):
            model = user_types().by_name[kind].model
            picked = list(
                (
                    await db.execute(
                        select(model.id, model.id_user)
                        .order_by(model.id)
                        .limit(sized(ci=2, report=5))
                    )
                ).all()
            )
            authors = [owner for k, owner in row.owners if k == "author"]
            if kind == "publisher" and authors:
                picked += (
                    await db.execute(
                        select(Publisher.id, Publisher.id_user)
                        .join(PublisherAuthor, PublisherAuthor.publisher_id == Publisher.id)
                        .where(PublisherAuthor.author_id.in_(authors))
                        .order_by(Publisher.id)
                    )
                ).all()
            found += [
                Caller(
                    f"{kind}:{profile}",
                    SessionUser(
                        id=login,
                        profiles={kind: profile},
                        email_verified=True,
                        authenticated_at=fresh(),
                    ),
                )
                for profile, login in picked
            ]
    return found


def _id_request(route: Route, name: str, key: object) -> tuple[str, str, Any] | None:
    model = route.endpoint.input_model
    assert model is not None
    body = sample_body(model)
    body[name] = (
        [str(key)] if isinstance(sample_of(model.model_fields[name].annotation), list) else str(key)
    )
    url = fill(route.path, id=str(key))
    if route.method != "GET":
        return (route.method, url, body)
    if any(isinstance(v, (list, dict)) for v in body.values()):
        return None
    return ("GET", url + "?" + "&".join(f"{k}={v}" for k, v in body.items()), None)


def _missing_like(key: object) -> object:
    """A value of ``key``'s type naming no row (asyncpg's UUID is a ``uuid.UUID`` subclass)."""
    if isinstance(key, uuid.UUID):
        return uuid.UUID(int=0xDEAD)
    if isinstance(key, int):
        return 2_000_000_011
    return "tidak-ada-kunci"


async def test_z5_workflow_ids_of_another_owner_are_a_missing_id(
    world: World, battery: Any
) -> None:
    before = await world.snapshot()
    tally, unresolved, reached, unreached = Tally(), [], 0, set()
    for route, name, table, column in _id_cases():
        if table is None:
            unresolved.append(f"{route.method} {route.path} {name}")
            continue
        for row in await _owned_rows(world, table, sized(ci=1, report=2), column):
            missing = _missing_like(row.key)
            form, twin = _id_request(route, name, row.key), _id_request(route, name, missing)
            if form is None or twin is None:
                continue
            for caller in await _id_actors(world, route, row):
                async with world.database.sessionmaker() as db:
                    if await _sees_owned(db, caller.user, row):
                        continue
                world.sign_in(caller.user)
                got, expected = await world.call(*form), await world.call(*twin)
                reached += expected.status_code == 404
                if expected.status_code != 404:
                    unreached.add(f"{route.method} {route.path} {name} {expected.status_code}")
                tally.case(
                    got.content == expected.content,
                    (
                        caller.label,
                        form,
                        got.status_code,
                        got.text[:160],
                        expected.status_code,
                        expected.text[:160],
                    ),
                )
    world.sign_in(None)
    unchanged = await world.snapshot() == before
    record(
        battery,
        "Z5",
        f"workflow ids of another owner x non-owners (404 in {reached}): unlike a missing id",
        tally,
    )
    battery.check(
        "Z5b",
        "workflow-id cases that changed the database",
        "= 0",
        0 if unchanged else 1,
        unchanged,
    )
    battery.check(
        "Z5c",
        "id fields whose table the matrix cannot name (listed in the report)",
        "report",
        len(unresolved),
        True,
    )
