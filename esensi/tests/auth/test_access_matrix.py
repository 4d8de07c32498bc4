"""Every route x {anonymous, 5 user types} against its declared access (security.md Z2-Z4, T5.2).

Each caller is a real login with a real profile and a real session (bearer), so the whole path
is exercised: token lookup, profile loading, the policy check. The expectation is computed here
from the declaration, independently of rlib's policy code.
"""

from __future__ import annotations

import re
import uuid

import pytest

from esensi.app import registry
from factories.logins import add_profile, make_login, make_session
from rlib import HostsConfig
from rlib.registry import Route

CALLERS = ["anonymous", "customer", "author", "publisher", "internal", "affiliate"]
DOMAIN_DEFAULTS = {
    "main": {"customer"},
    "chapter": {"customer"},
    "publish": {"author", "publisher"},
    "internal": {"internal"},
    "auth": {"any"},
}
_PARAM = re.compile(r"\{(\w+)(?::(\w+))?\}")


def _routes() -> list[Route]:
    return registry().routes(HostsConfig())


def _url(route: Route) -> str:
    def fill(match: re.Match[str]) -> str:
        kind = match.group(2)
        return {"int": "1", "uuid": str(uuid.UUID(int=1))}.get(kind or "", "x")

    return _PARAM.sub(fill, route.path)


def _expected(route: Route, caller: str) -> str:
    if route.access.public:
        return "open"
    if caller == "anonymous":
        return "401"
    admitted = route.access.user_types or frozenset()
    # The internal caller holds every staff role, so "internal:<role>" admits it too.
    if "any" in admitted or caller in {entry.split(":")[0] for entry in admitted}:
        return "open"
    return "403"


def test_domain_defaults_match_the_spec():
    domains = registry().domains
    for name, expected in DOMAIN_DEFAULTS.items():
        assert set(domains[name].auth) == expected, name


def test_the_matrix_covers_the_social_routes():
    expected = {
        "sign_in_social": "public",
        "callback_google": "public",
        "link_social": "any",
        "unlink_account": "any",
    }
    found = {r.endpoint.name: r.access.describe() for r in _routes() if r.endpoint.name in expected}
    assert found == expected


def test_the_matrix_covers_the_hand_off_routes():
    """Browser navigations: each step checks its own credential (session, state cookie, code)."""
    routes = {(route.method, route.path): route for route in _routes()}
    for path in ("/api/auth/handoff/begin", "/api/auth/handoff", "/api/auth/handoff/redeem"):
        assert routes[("GET", path)].access.public, path


def test_every_route_declares_who_may_call_it():
    for route in _routes():
        assert route.access.public or route.access.user_types, route.endpoint.name


@pytest.mark.parametrize("caller", CALLERS)
async def test_route_by_user_type(web, database, caller):
    token = None
    if caller != "anonymous":
        async with database.sessionmaker() as db:
            user = await make_login(db, password=None)
            await add_profile(db, user, caller)
            await db.commit()
    mismatches = []
    for route in _routes():
        headers = {}
        if caller != "anonymous":
            # A fresh session per request: a sign-out route revokes the one it is called with.
            async with database.sessionmaker() as db:
                token = await make_session(db, user, kind=caller)
                await db.commit()
            headers["Authorization"] = f"Bearer {token}"
        url = _url(route)
        if route.method == "GET":
            response = await web.get(url, headers=headers)
        else:
            response = await web.request(route.method, url, json={}, headers=headers)
        expected = _expected(route, caller)
        got = response.status_code
        ok = got < 500 and (got not in (401, 403) if expected == "open" else str(got) == expected)
        if not ok:
            mismatches.append((route.method, route.path, expected, got))
    assert mismatches == []
