"""The authorization matrix's world and the helpers its families share (issue 19, T5).

The world is the demo seed (every table filled, several authors, publishers with active,
invited and declined links, staff of each role) plus one trashed row per owner, one per
backend; ``esensi/tests/battery/test_authz_*.py`` are the families (Z1-Z5).
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import httpx
from authz_matrix import (
    SAME_ID,
    Caller,
    crud_resources,
    expected_access,
    fill,
    profile_kind,
    routes_of,
    sees,
    staff,
    stranger,
)
from battery_support import sized
from sqlalchemy import select, update

from conftest_helpers import PG_URL
from esensi.models import metadata
from esensi.models.publisher import Publisher, PublisherAuthor
from esensi.seed.demo import seed_demo
from esensi.users import STAFF_ROLES, user_types
from factories.logins import add_profile, make_login
from rlib import DatabaseConfig
from rlib.auth.users import SessionUser
from rlib.crud.declare import CrudResource
from rlib.crud.resource import Resource
from rlib.db.engine import Database
from rlib.registry import Route
from rlib.testing import FakeAuthenticator

BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
ID_VERBS = ("get", "update", "delete", "restore")
BULK_VERBS = ("bulk_delete", "bulk_restore")
LIST_VERBS = ("list", "list_ids", "list_trash")


async def seed_world(url: str) -> None:
    database = Database(DatabaseConfig(url=url, pool_size=2))
    try:
        await seed_demo(database, quiet=True)
        await _trash_one_per_owner(database)
    finally:
        await database.dispose()


async def _trash_one_per_owner(database: Database) -> None:
    """Each owner of a soft-deleting owned resource gets a row in the trash (the demo trashes
    few), so a bulk restore can name one of the caller's rows and another owner's."""
    async with database.sessionmaker() as db:
        for crud in crud_resources():
            res = crud.resource
            soft, scope = res.meta.soft_delete, res.scope_column
            if soft is None or scope is None:
                continue
            rows = (
                await db.execute(select(res.meta.pk, scope, soft).order_by(res.meta.pk.desc()))
            ).all()
            trashed = {owner for _, owner, deleted in rows if deleted is not None}
            live = Counter(owner for _, owner, deleted in rows if deleted is None)
            for key, owner, _ in rows:
                if owner is not None and owner not in trashed and live[owner] > 1:
                    trashed.add(owner)
                    await db.execute(
                        update(res.meta.table)
                        .where(res.meta.pk == key)
                        .values({soft.name: dt.datetime.now(dt.UTC)})
                    )
        await db.commit()


@dataclass
class World:
    database: Database
    auth: FakeAuthenticator
    http: httpx.AsyncClient

    def sign_in(self, user: SessionUser | None) -> None:
        self.auth.user = user

    async def call(self, method: str, url: str, body: object = None) -> httpx.Response:
        if method == "GET":
            return await self.http.get(url, headers=SAME_ID)
        return await self.http.request(method, url, json=body, headers=SAME_ID)

    async def snapshot(self) -> str:
        """A digest of every row of every table."""
        digest = hashlib.sha256()
        async with self.database.sessionmaker() as db:
            for table in metadata.sorted_tables:
                rows = (await db.execute(select(table))).all()
                digest.update(table.name.encode())
                for row in sorted(repr(tuple(r)) for r in rows):
                    digest.update(row.encode())
        return digest.hexdigest()


def plain_value(value: Any) -> Any:
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(row, default=plain_value))


@dataclass(frozen=True)
class Target:
    """A row of an owned resource: its key, its scope value, live or in the trash."""

    key: object
    owner: object
    trashed: bool
    row: dict[str, Any]


async def targets(world: World, res: Resource, per_kind: int | None) -> list[Target]:
    assert res.scope_column is not None
    table = res.meta.table
    found: list[Target] = []
    async with world.database.sessionmaker() as db:
        for trashed in (False, True) if res.soft else (False,):
            where = []
            if res.meta.soft_delete is not None:
                column = res.meta.soft_delete
                where.append(column.is_not(None) if trashed else column.is_(None))
            statement = select(table).where(*where).order_by(res.scope_column, res.meta.pk)
            rows = [dict(r._mapping) for r in (await db.execute(statement)).all()]
            owners: dict[object, dict[str, Any]] = {}
            for row in rows:  # one row per owner, owners in key order
                owners.setdefault(row[res.scope_column.name], row)
            for owner, row in list(owners.items())[: per_kind or None]:
                found.append(Target(row[res.meta.pk.name], owner, trashed, row))
    return found


async def callers_of(
    world: World, route_set: list[Route], target: Target, res: Resource
) -> list[Caller]:
    """Every caller the resource's routes admit: a stranger of each admitted user type, the
    seeded profiles of that type (the row's owner among them, and every publisher linked to
    it in any status), staff of each admitted role."""
    kinds: set[str] = set()
    roles: set[str | None] = set()
    for route in route_set:
        for entry in route.access.user_types or ():
            kind, _, role = entry.partition(":")
            if kind == "internal":
                roles |= {role} if role else set(STAFF_ROLES)
            elif entry != "any":
                kinds.add(kind)
    found = [Caller(f"internal:{role}", staff(role)) for role in sorted(roles, key=str)]
    limit = sized(ci=2, report=6)
    async with world.database.sessionmaker() as db:
        for kind in sorted(kinds):
            found.append(Caller(f"{kind}:stranger", stranger(kind)))
            model = user_types().by_name[kind].model
            rows = (await db.execute(select(model.id, model.id_user).order_by(model.id))).all()
            picked = list(rows[:limit])
            owner_kind = profile_kind(res.scope_column) if res.scope_column is not None else None
            if owner_kind == "author" and kind == "publisher":
                linked = await db.execute(
                    select(Publisher.id, Publisher.id_user)
                    .join(PublisherAuthor, PublisherAuthor.publisher_id == Publisher.id)
                    .where(PublisherAuthor.author_id == target.owner)
                    .order_by(Publisher.id)
                )
                picked += list(linked.all())
            if owner_kind == kind:
                picked += [r for r in rows if r[0] == target.owner]
            for profile, login in picked:
                found.append(
                    Caller(
                        f"{kind}:{profile}",
                        SessionUser(id=login, profiles={kind: profile}, email_verified=True),
                    )
                )
    return found


def path_forms(
    route: Route, verb: str, res: Resource, key: object, change: dict[str, Any]
) -> list[tuple[str, str, Any]]:
    """The requests of one action on row ``key`` at a route naming it in the path."""
    url = fill(route.path, id=str(key))
    found: dict[str, list[tuple[str, str, Any]]] = {
        "get": [("GET", url, None)],
        "update": [(route.method, url, change)],
        "delete": [(route.method, url, None)]
        + ([(route.method, f"{url}?hard=true", None)] if res.delete_options.get("hard") else []),
        "restore": [(route.method, url, {})],
    }
    return found.get(verb, [])


def id_forms(
    route: Route, verb: str, res: Resource, key: object, change: dict[str, Any]
) -> list[tuple[str, str, Any]]:
    """The requests of one action on row ``key`` at one route (path, query or body id)."""
    if "{id}" in route.path:
        return path_forms(route, verb, res, key, change)
    ident = str(key)
    if verb in BULK_VERBS:
        return [(route.method, route.path, {"ids": [ident]})]
    if verb not in ID_VERBS:
        return []
    if route.method == "GET":
        return [("GET", f"{route.path}?id={ident}", None)]
    return [(route.method, route.path, {"id": ident, **(change if verb == "update" else {})})]


async def real_staff(world: World) -> SessionUser:
    """A stored staff login with every role flag (an audited write names its login)."""
    async with world.database.sessionmaker() as db:
        login = await make_login(db, password=None, email_verified=True)
        flags = dict.fromkeys(STAFF_ROLES.values(), True)
        profile = await add_profile(db, login, "internal", **flags)
        await db.commit()
    return replace(staff("*"), id=login.id, profiles={"internal": profile})


async def writer_of(world: World, crud: CrudResource, boss: SessionUser) -> tuple[SessionUser, Any]:
    """Someone the resource's routes admit who sees one of its live rows (and that row's key)."""
    res = crud.resource
    route_set = routes_of(crud)
    candidates: list[tuple[SessionUser, Target | None]] = []
    if res.scope_column is not None:
        for target in await targets(world, res, 3):
            if not target.trashed:
                candidates += [
                    (c.user, target)
                    for c in await callers_of(world, route_set, target, res)
                    if c.user
                ]
    else:
        async with world.database.sessionmaker() as db:
            key = await db.scalar(
                select(res.meta.pk)
                .where(*res.conditions(trash=False, scope_kind="all", parented=False))
                .order_by(res.meta.pk)
                .limit(1)
            )
        row = None if key is None else Target(key, None, False, {})
        candidates = [(boss, row), *((stranger(k), row) for k in sorted(user_types().names))]
    dispatcher = next(r for r in route_set if r.endpoint.crud == (res.name, ""))
    async with world.database.sessionmaker() as db:
        for user, target in candidates:
            if expected_access(dispatcher, user) != "open":
                continue
            if target is None or await sees(res, db, user, target.owner):
                return user, None if target is None else target.key
    raise AssertionError(f"{res.name}: nobody may write it")
