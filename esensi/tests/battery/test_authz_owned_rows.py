"""Z1: every owned CRUD resource x every action x every URL form (``/{id}``, body id, the
action URL) x every caller the route admits whose declared scope excludes the row: 404,
byte-identical to a missing id's, and the database unchanged; lists never show the row.
CI runs a stable subset per resource (the first rows and callers in key order); ``make
battery`` every row's owner and every caller (issue 19 deliverable 2, T5.1)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from authz_matrix import (
    Caller,
    Tally,
    crud_resources,
    fill,
    missing_key,
    record,
    routes_of,
    sees,
)
from authz_world import (
    BULK_VERBS,
    ID_VERBS,
    LIST_VERBS,
    Target,
    World,
    callers_of,
    id_forms,
    jsonable,
    targets,
)
from battery_support import sized
from sqlalchemy import select

from rlib.crud.declare import CrudResource
from rlib.crud.resource import Resource
from rlib.registry import Route

pytestmark = [pytest.mark.battery, pytest.mark.xdist_group("authz_world")]


def _change(res: Resource, row: dict[str, Any]) -> dict[str, Any]:
    """An update body from the row's own values (two fields of the update schema)."""
    schema = res.update_schema
    if schema is None:
        return {}
    fields = [f for f in schema.model_fields if row.get(f) is not None][:2]
    return jsonable({f: row[f] for f in fields})


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
        return id_forms(route, verb, self.res, key, change)

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
    for target in await targets(world, res, sized(ci=1, report=3)):
        seen_by_owner = False
        for caller in await callers_of(world, route_set, target, res):
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
    body = jsonable(
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
