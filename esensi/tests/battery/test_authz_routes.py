"""Z2: every route x anonymous, each user type, staff of each role and of none: the declared
status when denied, never 401/403 when admitted, never a 5xx (issue 19 deliverable 2, T5.2)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from authz_matrix import (
    Caller,
    Tally,
    expected_access,
    fill,
    record,
    route_callers,
    routes,
)
from battery_support import report_run

from esensi.users import STAFF_ROLES
from factories.logins import add_profile, make_login
from rlib.db.engine import Database
from rlib.registry import Route

pytestmark = pytest.mark.battery


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
