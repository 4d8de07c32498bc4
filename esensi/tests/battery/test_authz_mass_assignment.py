"""Z3: every write schema x every server-owned column of its table: 422 naming the field,
the database unchanged; bodies that ignore unknown keys answer as without them (T5.3)."""

from __future__ import annotations

import zlib
from typing import Any

import httpx
import pytest
from authz_matrix import (
    Tally,
    crud_resources,
    expected_access,
    fill,
    record,
    route_callers,
    routes,
    routes_of,
    sample_value,
    server_owned,
    server_owned_anywhere,
)
from authz_world import (
    World,
    id_forms,
    real_staff,
    writer_of,
)
from battery_support import report_run

from rlib.auth.users import SessionUser
from rlib.crud.declare import CrudResource
from rlib.registry import Route

pytestmark = [pytest.mark.battery, pytest.mark.xdist_group("authz_world")]


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
        forms += id_forms(route, "update", res, key, {name: value})
    if update and key is not None and verb == "":
        forms.append(
            (route.method, route.path, {"action": "update", "id": str(key), "data": {name: value}})
        )
    return forms


async def _mass_crud(world: World, crud: CrudResource, tally: Tally, boss: SessionUser) -> None:
    res = crud.resource
    if res.create_schema is None and res.update_schema is None:
        return
    user, key = await writer_of(world, crud, boss)
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
    boss = await real_staff(world)
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
