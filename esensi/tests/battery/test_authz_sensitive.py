"""Z4: filter, sort, fields and include naming a sensitive or undeclared column are refused,
and no list answer carries one (issue 19 deliverable 2, T5.4)."""

from __future__ import annotations

from typing import Any

import pytest
from authz_matrix import (
    Tally,
    crud_resources,
    record,
    routes_of,
    sensitive_columns,
)
from authz_world import (
    LIST_VERBS,
    World,
    real_staff,
    writer_of,
)
from battery_support import report_run

from rlib.crud.declare import CrudResource
from rlib.crud.resource import Resource
from rlib.registry import Route

pytestmark = [pytest.mark.battery, pytest.mark.xdist_group("authz_world")]


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
    boss = await real_staff(world)
    refused, shown = Tally(), Tally()
    marked = {name for columns in sensitive_columns().values() for name in columns}
    for crud in crud_resources():
        res = crud.resource
        user, _ = await writer_of(world, crud, boss)
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
