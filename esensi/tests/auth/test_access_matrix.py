"""Every route x {anonymous, 5 user types, staff of each role flag and of none} against its
declared access (security.md Z2-Z4, T5.2).

Each caller is a real login with a real profile and a real session (bearer), so the whole path
is exercised: token lookup, profile loading, the policy check. The expectation is computed here
from the declaration, independently of rlib's policy code.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable

import pytest

from esensi.app import registry
from esensi.users import STAFF_ROLES
from factories import login_staff
from factories.logins import add_profile, make_login, make_session
from rlib import HostsConfig
from rlib.endpoint import Access
from rlib.registry import Route

# "internal" holds every staff role flag; "internal:<role>" exactly one; "internal:" none.
STAFF = [f"internal:{role}" for role in STAFF_ROLES]
SIGNED_IN = ["anonymous", "customer", "author", "publisher", "internal", "affiliate", *STAFF]
CALLERS = [*SIGNED_IN, "internal:"]
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


def _caller_roles(caller: str) -> tuple[str, frozenset[str]]:
    """The caller's user type and role flags."""
    kind, _, role = caller.partition(":")
    if caller == "internal":
        return kind, frozenset(STAFF_ROLES)
    return kind, frozenset({role} - {""})


def _expected(route: Route, caller: str) -> str:
    if route.access.public:
        return "open"
    if caller == "anonymous":
        return "401"
    kind, roles = _caller_roles(caller)
    for entry in route.access.user_types or frozenset():
        admitted_kind, _, role = entry.partition(":")
        if entry == "any" or (admitted_kind == kind and (not role or role in roles)):
            return "open"
    return "403"


def test_expectations_follow_the_role_flags():
    staff_only = Route(
        domain=registry().domains["internal"],
        endpoint=registry().endpoints["internal"]["mail_list"],
        method="GET",
        path="/api/internal/mail/list",
        host_key=None,
        access=Access(user_types=frozenset({"internal:it", "internal:management"})),
    )
    found = {caller: _expected(staff_only, caller) for caller in CALLERS}
    assert found == {
        "anonymous": "401",
        "customer": "403",
        "author": "403",
        "publisher": "403",
        "internal": "open",
        "affiliate": "403",
        "internal:sales_and_marketing": "403",
        "internal:support": "403",
        "internal:management": "open",
        "internal:it": "open",
        "internal:": "403",
    }


async def _login(database, caller: str):
    kind, roles = _caller_roles(caller)
    flags = {column: role in roles for role, column in STAFF_ROLES.items()}
    async with database.sessionmaker() as db:
        # Verified: a handler may refuse an unverified address itself (checkout does).
        user = await make_login(db, password=None, email_verified=True)
        await add_profile(db, user, kind, **(flags if kind == "internal" else {}))
        await db.commit()
    return user


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


def _names_staff(route: Route) -> bool:
    return any(entry.startswith("internal") for entry in route.access.user_types or ())


async def _mismatches(
    http, caller: str, headers: Callable[[], Awaitable[dict[str, str]]], routes: list[Route]
):
    mismatches = []
    for route in routes:
        url = _url(route)
        if route.method == "GET":
            response = await http.get(url, headers=await headers())
        else:
            response = await http.request(route.method, url, json={}, headers=await headers())
        expected = _expected(route, caller)
        got = response.status_code
        ok = got < 500 and (got not in (401, 403) if expected == "open" else str(got) == expected)
        if not ok:
            mismatches.append((route.method, route.path, expected, got))
    return mismatches


@pytest.mark.parametrize("caller", SIGNED_IN)
async def test_route_by_user_type(web, database, caller):
    user = None if caller == "anonymous" else await _login(database, caller)

    async def headers() -> dict[str, str]:
        if user is None:
            return {}
        # A fresh session per request: a sign-out route revokes the one it is called with.
        async with database.sessionmaker() as db:
            token = await make_session(db, user, kind=_caller_roles(caller)[0])
            await db.commit()
        return {"Authorization": f"Bearer {token}"}

    assert await _mismatches(web, caller, headers, _routes()) == []


async def test_route_as_staff_without_a_flag(client, auth):
    """The database refuses a staff profile without a flag (``ck_internal_has_role``), so this
    caller is a stand-in session (the policy sees the user it would load) on the routes that
    name staff; elsewhere flags change nothing and the real staff sessions above cover them."""
    login_staff(auth)

    async def headers() -> dict[str, str]:
        return {}

    staff_routes = [route for route in _routes() if _names_staff(route)]
    assert len(staff_routes) > 50
    assert await _mismatches(client, "internal:", headers, staff_routes) == []


# The staff roles of the catalogue and content routes (spec/endpoints.md §5), per endpoint of
# each resource: every route a resource mounts names exactly these, except the reads spelled
# out (the matrix above then proves each route answers as declared).
MERCHANTS = frozenset({"internal:sales_and_marketing", "internal:management"})
CONTENT_ROLES = {
    "product": (MERCHANTS, {"product_list": frozenset({"internal"})}),
    "bundle": (
        MERCHANTS,
        {"bundle_list": frozenset({"internal"}), "bundle_get": frozenset({"internal"})},
    ),
    "banner": (MERCHANTS, {}),
    "landing": (MERCHANTS, {}),
    "landing_items": (MERCHANTS, {}),
    "category": (MERCHANTS, {}),
    "genre": (MERCHANTS, {}),
    "tags": (MERCHANTS, {}),
    "review": (frozenset({"internal:support"}), {}),
    "cfg": (MERCHANTS | {"internal:it"}, {}),
}


def test_catalogue_and_content_routes_name_their_staff_roles():
    internal = [route for route in _routes() if route.domain.name == "internal"]
    seen = set()
    for route in internal:
        resource = next(
            (
                name
                for name in sorted(CONTENT_ROLES, key=len, reverse=True)
                if route.endpoint.name == name or route.endpoint.name.startswith(f"{name}_")
            ),
            None,
        )
        if resource is None:
            continue
        writers, reads = CONTENT_ROLES[resource]
        expected = reads.get(route.endpoint.name, writers)
        assert route.access.user_types == expected, (route.endpoint.name, route.path)
        seen.add(resource)
    assert seen == set(CONTENT_ROLES)
