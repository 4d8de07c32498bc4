"""The authorization matrix, generated from the registry (issue 19 deliverable 2; T5.1-T5.4).

The world is the demo seed (every table filled, several authors, publishers with active,
invited and declined links, staff of each role), one per backend. Every family counts its
cases; none is listed by hand. CI runs a stable subset per resource (the first rows and
callers in key order); ``make battery`` runs every row's owner and every caller.

- Z1 every owned CRUD resource x every action x every URL form (``/{id}``, body id, the
  action URL) x every caller the route admits whose declared scope excludes the row: 404,
  byte-identical to a missing id's, and the database unchanged; lists never show the row.
- Z2 every route x anonymous, each user type, staff of each role and of none: the declared
  status when denied, never 401/403 when admitted.
- Z3 every write schema x every server-owned column of its table: 422 naming the field, the
  database unchanged.
- Z4 filter, sort and include naming a sensitive column (``info={"sensitive": True}``):
  refused, never 2xx.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import hashlib
import json
import uuid
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from authz_matrix import (
    SAME_ID,
    Caller,
    Tally,
    crud_resources,
    expected_access,
    fill,
    fresh,
    id_fields,
    missing_key,
    owner_columns_of,
    profile_kind,
    record,
    route_callers,
    routes,
    routes_of,
    sample_body,
    sample_of,
    sample_value,
    sees,
    sensitive_columns,
    server_owned,
    server_owned_anywhere,
    staff,
    stranger,
    table_of,
)
from battery_support import report_run, sized
from sqlalchemy import Table, select, update

from conftest_helpers import PG_URL, drop_postgres_database, migrate, recreate_postgres_database
from esensi.app import build_app
from esensi.models import metadata
from esensi.models.publisher import Publisher, PublisherAuthor
from esensi.seed.demo import seed_demo
from esensi.services.ownership import managed_author_ids
from esensi.settings import Settings
from esensi.users import STAFF_ROLES, user_types
from factories.logins import add_profile, make_login
from rlib import DatabaseConfig
from rlib.auth.users import SessionUser
from rlib.crud.declare import CrudResource
from rlib.crud.resource import Resource
from rlib.db.engine import Database
from rlib.registry import Route
from rlib.testing import FakeAuthenticator, app_client

pytestmark = pytest.mark.battery

BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
ID_VERBS = ("get", "update", "delete", "restore")
BULK_VERBS = ("bulk_delete", "bulk_restore")
LIST_VERBS = ("list", "list_ids", "list_trash")


async def _seed(url: str) -> None:
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


@pytest.fixture(scope="module", params=BACKENDS)
def world_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('authz') / 'world.sqlite3'}"
    else:
        url = asyncio.run(recreate_postgres_database(f"esensi_authz_{uuid.uuid4().hex[:8]}"))
    migrate(url)
    asyncio.run(_seed(url))
    yield url
    if request.param == "postgresql":
        asyncio.run(drop_postgres_database(url))


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


@pytest.fixture
async def world(world_url: str) -> AsyncIterator[World]:
    database = Database(DatabaseConfig(url=world_url, pool_size=2))
    auth = FakeAuthenticator()
    app = build_app(Settings(env="test", database_url=world_url), authenticator=auth)
    app.use_database(database)
    try:
        async with app_client(app) as http:
            yield World(database, auth, http)
    finally:
        await database.dispose()


def _plain(value: Any) -> Any:
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(row, default=_plain))


# -- Z1: owned rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A row of an owned resource: its key, its scope value, live or in the trash."""

    key: object
    owner: object
    trashed: bool
    row: dict[str, Any]


async def _targets(world: World, res: Resource, per_kind: int | None) -> list[Target]:
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


async def _callers(
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


def _change(res: Resource, row: dict[str, Any]) -> dict[str, Any]:
    """An update body from the row's own values (two fields of the update schema)."""
    schema = res.update_schema
    if schema is None:
        return {}
    fields = [f for f in schema.model_fields if row.get(f) is not None][:2]
    return _jsonable({f: row[f] for f in fields})


def _path_forms(
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


def _id_forms(
    route: Route, verb: str, res: Resource, key: object, change: dict[str, Any]
) -> list[tuple[str, str, Any]]:
    """The requests of one action on row ``key`` at one route (path, query or body id)."""
    if "{id}" in route.path:
        return _path_forms(route, verb, res, key, change)
    ident = str(key)
    if verb in BULK_VERBS:
        return [(route.method, route.path, {"ids": [ident]})]
    if verb not in ID_VERBS:
        return []
    if route.method == "GET":
        return [("GET", f"{route.path}?id={ident}", None)]
    return [(route.method, route.path, {"id": ident, **(change if verb == "update" else {})})]


def _dispatch_forms(
    route: Route, verbs: set[str], key: object, change: dict[str, Any]
) -> list[tuple[str, str, Any]]:
    """The action URL's body for every action taking ids."""
    ident = str(key)
    forms: list[tuple[str, str, Any]] = []
    for verb in sorted(verbs):
        if verb in ID_VERBS:
            body: dict[str, Any] = {"action": verb, "id": ident}
            if verb == "update":
                body["data"] = change
            forms.append((route.method, route.path, body))
        elif verb in BULK_VERBS:
            forms.append((route.method, route.path, {"action": verb, "ids": [ident]}))
    return forms


@dataclass
class Owned:
    """One owned resource under test: its routes, actions and the missing id's answers."""

    world: World
    crud: CrudResource
    tally: Tally
    twins: dict[tuple[str, str, str, str], httpx.Response]

    @property
    def res(self) -> Resource:
        return self.crud.resource

    def forms(self, route: Route, verb: str, key: object, change: dict[str, Any]) -> list[Any]:
        if verb == "":
            return _dispatch_forms(route, self.verbs - {""}, key, change)
        return _id_forms(route, verb, self.res, key, change)

    async def twin(self, caller: Caller, form: tuple[str, str, Any]) -> httpx.Response:
        key = (caller.label, form[0], form[1], json.dumps(form[2]))
        if key not in self.twins:
            self.twins[key] = await self.world.call(*form)
        return self.twins[key]

    async def own_key(self, caller: Caller, trashed: bool) -> object | None:
        """A row ``caller`` may see, live or in the trash (None when it has none)."""
        res = self.res
        assert res.scope_column is not None
        soft = res.meta.soft_delete
        where = [] if soft is None else [soft.is_not(None) if trashed else soft.is_(None)]
        async with self.world.database.sessionmaker() as db:
            rows = (
                await db.execute(
                    select(res.meta.pk, res.scope_column).where(*where).order_by(res.meta.pk)
                )
            ).all()
            for owner in dict.fromkeys(row[1] for row in rows):
                if owner is not None and await sees(res, db, caller.user, owner):
                    return next(row[0] for row in rows if row[1] == owner)
        return None

    async def mixed_bulk(self, caller: Caller, target: Target) -> None:
        """A bulk naming one of the caller's rows and ``target`` fails whole, like a missing id."""
        res = self.res
        verb = "bulk_restore" if target.trashed else "bulk_delete"
        own = await self.own_key(caller, target.trashed)
        if own is None:
            return
        for route in routes_of(self.crud):
            if route.endpoint.crud not in ((res.name, verb), (res.name, "")):
                continue
            if route.endpoint.crud == (res.name, "") and verb not in self.verbs:
                continue
            head = {"action": verb} if route.endpoint.crud[1] == "" else {}
            form = (route.method, route.path, {**head, "ids": [str(own), str(target.key)]})
            twin = (route.method, route.path, {**head, "ids": [str(own), str(missing_key(res))]})
            got, expected = await self.world.call(*form), await self.twin(caller, twin)
            self.tally.case(
                got.status_code == 404 and got.content == expected.content,
                (res.name, caller.label, form, got.status_code, got.text[:200], expected.text),
            )

    @property
    def verbs(self) -> set[str]:
        return {r.endpoint.crud[1] for r in routes_of(self.crud) if r.endpoint.crud}

    async def refused(self, caller: Caller, target: Target) -> None:
        """Every action at every route, as ``caller`` who may not see ``target``."""
        await self.mixed_bulk(caller, target)
        res, missing, change = self.res, missing_key(self.res), _change(self.res, target.row)
        for route in routes_of(self.crud):
            name, verb = route.endpoint.crud or ("", "")
            if name != res.name:
                continue  # a nested child's route (no owned resource has one yet)
            if verb in LIST_VERBS:
                await _list_case(self.world, route, res, target, self.tally, caller)
            elif verb == "create":
                if res.choose:
                    await _create_case(self.world, route, res, target, self.tally, caller)
                continue
            forms = self.forms(route, verb, target.key, change)
            twins = self.forms(route, verb, missing, change)
            for form, twin_form in zip(forms, twins, strict=True):
                got, expected = await self.world.call(*form), await self.twin(caller, twin_form)
                self.tally.case(
                    got.status_code == 404 and got.content == expected.content,
                    (res.name, caller.label, form, got.status_code, got.text[:200], expected.text),
                )


async def _owned_resource(world: World, crud: CrudResource, tally: Tally, sanity: Tally) -> None:
    owned = Owned(world, crud, tally, {})
    res = crud.resource
    route_set = routes_of(crud)
    for target in await _targets(world, res, sized(ci=1, report=3)):
        seen_by_owner = False
        for caller in await _callers(world, route_set, target, res):
            async with world.database.sessionmaker() as db:
                visible = await sees(res, db, caller.user, target.owner)
            world.sign_in(caller.user)
            if not visible:
                await owned.refused(caller, target)
            elif not target.trashed and not seen_by_owner:
                got = await world.call("GET", fill(_by_id(route_set), id=target.key))
                sanity.case(got.status_code == 200, (res.name, caller.label, got.text[:200]))
                seen_by_owner = True
        sanity.case(
            seen_by_owner or target.trashed or target.owner is None,
            (res.name, target.key, "no caller sees the row"),
        )


def _by_id(route_set: list[Route]) -> str:
    return next(
        r.path
        for r in route_set
        if r.method == "GET"
        and r.path.endswith("/{id}")
        and r.endpoint.crud
        and r.endpoint.crud[1] == "get"
    )


async def _list_case(
    world: World, route: Route, res: Resource, target: Target, tally: Tally, caller: Caller
) -> None:
    """A list never shows a row the caller may not see, even asked for its owner."""
    if (route.endpoint.crud or ("", ""))[1] == "list_trash" and not target.trashed:
        return
    assert res.scope_column is not None
    owner_filter = {res.scope_column.name: str(target.owner)}
    for params in ({}, owner_filter, {"filters": owner_filter}):
        if route.method == "GET":
            query = "&".join(f"{k}={v}" for k, v in params.items() if isinstance(v, str))
            if params and not query:
                continue
            got = await world.call("GET", f"{route.path}?{query}" if query else route.path)
        else:
            got = await world.call(route.method, route.path, params)
        tally.case(
            got.status_code in (200, 422) and str(target.key) not in got.text,
            (
                res.name,
                caller.label,
                route.method,
                route.path,
                params,
                got.status_code,
                got.text[:200],
            ),
        )


async def _create_case(
    world: World, route: Route, res: Resource, target: Target, tally: Tally, caller: Caller
) -> None:
    """A create naming an owner the caller may not act for answers like a missing owner."""
    assert res.scope_column is not None
    assert res.create_schema is not None
    body = _jsonable(
        {f: target.row[f] for f in res.create_schema.model_fields if target.row.get(f) is not None}
    )
    name = res.scope_column.name
    missing = missing_key(res) if res.scope_column is res.meta.pk else uuid.UUID(int=0xDEAD)
    got = await world.call(route.method, route.path, {**body, name: str(target.owner)})
    twin = await world.call(route.method, route.path, {**body, name: str(missing)})
    tally.case(
        got.status_code >= 400 and got.content == twin.content,
        (res.name, caller.label, "create", got.status_code, got.text[:200], twin.text[:200]),
    )


async def test_z1_another_owners_row_is_a_missing_id(world: World, battery: Any) -> None:
    before = await world.snapshot()
    tally, sanity = Tally(), Tally()
    owned = [crud for crud in crud_resources() if crud.resource.scope_column is not None]
    for crud in owned:
        await _owned_resource(world, crud, tally, sanity)
    world.sign_in(None)
    unchanged = await world.snapshot() == before
    assert sanity.failures == [], sanity.failures[:5]
    record(
        battery,
        "Z1",
        f"owned rows x actions x URL forms x non-owners ({len(owned)} resources): not a missing id",
        tally,
    )
    battery.check(
        "Z1b", "owned-row cases that changed the database", "= 0", 0 if unchanged else 1, unchanged
    )


# -- Z2: every route x every caller ------------------------------------------------------------


def _callers_of_route(index: int, route: Route, callers: list[Caller]) -> list[Caller]:
    """All callers under ``make battery``; in CI anonymous and two others, rotating by route.

    Staff without a flag is a stand-in with no stored login (the database refuses such a
    profile): it is asked only where a route names staff, as the access matrix does.
    """
    if not any(e.startswith("internal") for e in route.access.user_types or ()):
        callers = [c for c in callers if c.label != "internal:"]
    if report_run():
        return callers
    return [
        callers[0],
        callers[1 + index % (len(callers) - 1)],
        callers[1 + (index * 5 + 3) % (len(callers) - 1)],
    ]


async def _real_logins(database: Database, callers: list[Caller]) -> list[Caller]:
    """Each caller as a stored login with its profile (a handler may load the login)."""
    found = []
    async with database.sessionmaker() as db:
        for caller in callers:
            user = caller.user
            if user is None:
                found.append(caller)
                continue
            login = await make_login(db, password=None, email_verified=True)
            flags = {
                column: f"internal:{role}" in user.roles for role, column in STAFF_ROLES.items()
            }
            kind = next(iter(user.profiles))
            profile = await add_profile(db, login, kind, **(flags if kind == "internal" else {}))
            found.append(
                Caller(
                    caller.label,
                    replace(user, id=login.id, profiles={kind: profile}, email=login.email),
                )
            )
        await db.commit()
    return found


async def test_z2_every_route_answers_its_declared_callers(client, auth, database, battery) -> None:
    """On an empty database (an admitted call may write): denied -> the declared 401/403,
    admitted -> neither; never a 5xx. Staff without a flag is a stand-in (the database refuses
    such a profile)."""
    callers = [*await _real_logins(database, route_callers()[:-1]), route_callers()[-1]]
    tally = Tally()
    for index, route in enumerate(routes()):
        picked = _callers_of_route(index, route, callers)
        for caller in {c.label: c for c in picked}.values():
            auth.user = caller.user
            url = fill(route.path)
            if route.method == "GET":
                got = await client.get(url)
            else:
                got = await client.request(route.method, url, json={})
            expected = expected_access(route, caller.user)
            code = got.status_code
            ok = code < 500 and (
                code not in (401, 403) if expected == "open" else str(code) == expected
            )
            tally.case(ok, (route.method, route.path, caller.label, expected, code, got.text[:160]))
    record(
        battery,
        "Z2",
        f"routes x callers ({len(routes())} routes, {len(callers)} callers): not as declared",
        tally,
    )


# -- Z3: mass assignment -----------------------------------------------------------------------


def _refuses_field(got: httpx.Response, name: str) -> bool:
    """422 (400 ``VALIDATION_ERROR`` on the auth protocol's routes) with an error naming
    ``name``: an unknown field is refused, never dropped."""
    if got.status_code not in (400, 422):
        return False
    body = got.json()
    if got.status_code == 400 and body.get("code") != "VALIDATION_ERROR":
        return False
    return any(
        error.get("field") == name or (error.get("loc") or [None])[-1] == name
        for error in body.get("errors") or []
    )


async def _real_staff(world: World) -> SessionUser:
    """A stored staff login with every role flag (an audited write names its login)."""
    async with world.database.sessionmaker() as db:
        login = await make_login(db, password=None, email_verified=True)
        flags = dict.fromkeys(STAFF_ROLES.values(), True)
        profile = await add_profile(db, login, "internal", **flags)
        await db.commit()
    return replace(staff("*"), id=login.id, profiles={"internal": profile})


async def _writer(world: World, crud: CrudResource, boss: SessionUser) -> tuple[SessionUser, Any]:
    """Someone the resource's routes admit who sees one of its live rows (and that row's key)."""
    res = crud.resource
    route_set = routes_of(crud)
    candidates: list[tuple[SessionUser, Target | None]] = []
    if res.scope_column is not None:
        for target in await _targets(world, res, 3):
            if not target.trashed:
                candidates += [
                    (c.user, target)
                    for c in await _callers(world, route_set, target, res)
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


def _mass_forms(crud: CrudResource, route: Route, key: object, name: str) -> list[Any]:
    """The write requests of ``route`` carrying only the server-owned field ``name``."""
    res = crud.resource
    verb = (route.endpoint.crud or ("", ""))[1]
    value = sample_value(res.meta.table.c.get(name))
    forms: list[Any] = []
    create = res.create_schema is not None and name not in res.create_schema.model_fields
    update = res.update_schema is not None and name not in res.update_schema.model_fields
    if create and verb in ("create", ""):
        forms.append((route.method, route.path, {name: value}))
    # A body-id form's ``id`` is the row it names, not a change: only the other forms carry it.
    by_path = "{id}" in route.path
    if update and key is not None and verb == "update" and (by_path or name != res.meta.pk.name):
        forms += _id_forms(route, "update", res, key, {name: value})
    if update and key is not None and verb == "":
        forms.append(
            (route.method, route.path, {"action": "update", "id": str(key), "data": {name: value}})
        )
    return forms


async def _mass_crud(world: World, crud: CrudResource, tally: Tally, boss: SessionUser) -> None:
    res = crud.resource
    if res.create_schema is None and res.update_schema is None:
        return
    user, key = await _writer(world, crud, boss)
    world.sign_in(user)
    owned = sorted(server_owned(res.meta.table))
    for route in routes_of(crud):
        if (route.endpoint.crud or ("", ""))[0] != res.name:
            continue
        for index, name in enumerate(owned):
            if not report_run() and index % 3 != zlib.crc32(route.path.encode()) % 3:
                continue
            for form in _mass_forms(crud, route, key, name):
                got = await world.call(*form)
                tally.case(
                    _refuses_field(got, name), (res.name, form, got.status_code, got.text[:200])
                )


def _declared(model: type[Any]) -> set[str]:
    fields = model.model_fields
    return set(fields) | {f.alias for f in fields.values() if f.alias}


def _plain_writes() -> list[Route]:
    """One route of every non-CRUD endpoint taking a JSON body on a non-GET method."""
    found: dict[int, Route] = {}
    for route in routes():
        endpoint = route.endpoint
        if (
            route.method == "GET"
            or endpoint.crud
            or endpoint.input_model is None
            or endpoint.body != "json"
        ):
            continue
        found.setdefault(id(endpoint), route)
    return list(found.values())


async def _mass_plain(world: World, forbid: Tally, ignore: Tally) -> None:
    callers = route_callers()
    fields = sorted(server_owned_anywhere())
    for index, route in enumerate(_plain_writes()):
        model = route.endpoint.input_model
        assert model is not None
        user = next((c.user for c in callers if expected_access(route, c.user) == "open"), None)
        world.sign_in(user)
        names = [f for f in fields if f not in _declared(model)]
        # CI: every 8th field, the start rotating by route; report: every other one.
        names = names[index % 2 :: 2] if report_run() else names[index % 4 :: 8]
        url = fill(route.path)
        refuses = model.model_config.get("extra") == "forbid"
        for name in names:
            got = await world.call(route.method, url, {name: sample_value(None)})
            if refuses:
                forbid.case(
                    _refuses_field(got, name), (route.path, name, got.status_code, got.text[:200])
                )
            else:
                # The model ignores unknown keys by design (a page taking no parameters, as the
                # original did): the field must change nothing, so the answer is the bare one's.
                bare = await world.call(route.method, url, {})
                ignore.case(
                    got.status_code == bare.status_code,
                    (route.path, name, got.status_code, bare.status_code),
                )


async def test_z3_server_owned_fields_are_refused(world: World, battery: Any) -> None:
    boss = await _real_staff(world)
    before = await world.snapshot()
    crud_tally, plain, ignored = Tally(), Tally(), Tally()
    for crud in crud_resources():
        await _mass_crud(world, crud, crud_tally, boss)
    await _mass_plain(world, plain, ignored)
    world.sign_in(None)
    unchanged = await world.snapshot() == before
    record(
        battery,
        "Z3",
        "CRUD write schemas x server-owned columns x write URL forms: not 422",
        crud_tally,
    )
    record(battery, "Z3b", "other write bodies x server-owned fields: not 422", plain)
    record(
        battery,
        "Z3c",
        "bodies ignoring unknown keys x server-owned fields: answer changed",
        ignored,
    )
    battery.check(
        "Z3d",
        "mass-assignment cases that changed the database",
        "= 0",
        0 if unchanged else 1,
        unchanged,
    )


# -- Z4: sensitive columns in filter, sort, include --------------------------------------------


def _hidden_columns(res: Resource) -> list[str]:
    """The columns no generic path may use: marked sensitive, or kept out by ``fields``."""
    marked = sensitive_columns().get(res.meta.table.name, set())
    return sorted((set(res.meta.sensitive) | marked) & set(res.meta.table.c.keys()))


def _sensitive_probes(res: Resource) -> list[tuple[str, dict[str, Any]]]:
    """(what, parameters) asking a list for a hidden column, or a relation it did not declare."""
    probes: list[tuple[str, dict[str, Any]]] = []
    for column in _hidden_columns(res):
        probes += [
            ("filter", {column: "x"}),
            ("filter", {f"{column}__eq": "x"}),
            ("filter", {"filters": {column: "x"}}),
            ("sort", {"order_by": column}),
            ("sort", {"order_by": f"-{column}"}),
            ("fields", {"fields": column}),
        ]
    marked = sensitive_columns()
    for name, prop in sorted(res.meta.model.__mapper__.relationships.items()):
        for column in sorted(marked.get(prop.mapper.local_table.name, ())):
            probes += [
                ("filter", {f"{name}.{column}": "x"}),
                ("filter", {"filters": {f"{name}.{column}": "x"}}),
                ("sort", {"order_by": f"{name}.{column}"}),
            ]
        if name not in res.includable:
            probes.append(("include", {"include": name}))
    return probes


def _list_routes(crud: CrudResource) -> list[Route]:
    found = [
        r
        for r in routes_of(crud)
        if r.endpoint.crud
        and r.endpoint.crud[0] == crud.resource.name
        and r.endpoint.crud[1] in LIST_VERBS
    ]
    if report_run():
        return found
    # CI: one GET and one POST form per resource.
    return [
        next(r for r in found if r.method == m)
        for m in ("GET", "POST")
        if any(r.method == m for r in found)
    ]


def _secret_keys(value: Any, names: set[str]) -> set[str]:
    """Keys anywhere in a JSON value that are among ``names``."""
    if isinstance(value, dict):
        return (set(value) & names) | {k for v in value.values() for k in _secret_keys(v, names)}
    if isinstance(value, list):
        return {k for v in value for k in _secret_keys(v, names)}
    return set()


async def test_z4_sensitive_columns_are_refused_and_never_returned(
    world: World, battery: Any
) -> None:
    boss = await _real_staff(world)
    refused, shown = Tally(), Tally()
    marked = {name for columns in sensitive_columns().values() for name in columns}
    for crud in crud_resources():
        res = crud.resource
        user, _ = await _writer(world, crud, boss)
        world.sign_in(user)
        probes = _sensitive_probes(res)
        for route in _list_routes(crud):
            bare = await world.call(route.method, route.path, {} if route.method != "GET" else None)
            found = _secret_keys(bare.json(), marked | set(_hidden_columns(res)))
            shown.case(
                bare.status_code == 200 and not found,
                (res.name, route.path, bare.status_code, found),
            )
            for what, params in probes:
                if route.method == "GET":
                    if any(not isinstance(v, str) for v in params.values()):
                        continue
                    query = "&".join(f"{k}={v}" for k, v in params.items())
                    got = await world.call("GET", f"{route.path}?{query}")
                else:
                    got = await world.call(route.method, route.path, params)
                refused.case(
                    got.status_code in (400, 422),
                    (
                        res.name,
                        route.method,
                        route.path,
                        what,
                        params,
                        got.status_code,
                        got.text[:160],
                    ),
                )
    world.sign_in(None)
    record(
        battery,
        "Z4",
        "filter/sort/fields/include naming sensitive or undeclared columns: accepted",
        refused,
    )
    record(battery, "Z4b", "list answers carrying a sensitive or hidden column", shown)


# -- Z5: workflow endpoints taking an id -------------------------------------------------------


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
