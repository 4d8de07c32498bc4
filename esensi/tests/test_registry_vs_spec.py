"""The registry against spec/endpoints.md: every row is served or honestly pending.

The table (``spec_endpoints.csv``) and the pending list (``pending_endpoints.toml``) are
committed data; these tests fail when a row is neither served nor pending, when a pending name
is in fact served (the list only shrinks), when a pending name is no row, and when a served
row's endpoint admits other callers (user types, staff roles) than the spec says.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pytest

from esensi import endpoint_spec as spec
from esensi.app import served_registry
from esensi.users import STAFF_ROLES
from rlib import Registry

CALLERS = frozenset(
    {"public", "any", "gateway", "customer", "author", "publisher", "affiliate", "internal"}
    | {f"internal:{role}" for role in STAFF_ROLES}
)
KINDS = re.compile(r"^(PAGE|WF|INFRA|BUILTIN|CRUD(:[a-z_]+)?)$")


@pytest.fixture(scope="module")
def built() -> Registry:
    return served_registry()


@pytest.fixture(scope="module")
def rows() -> list[spec.SpecRow]:
    return spec.spec_rows()


def _listing(items: Iterable[object]) -> str:
    return "\n  ".join(map(str, items))


def test_every_row_is_served_or_pending_and_nothing_else_is_pending(built, rows):
    report = spec.check_pending(built, rows, spec.pending())
    assert not report.unlisted, (
        "spec rows neither registered nor in pending_endpoints.toml "
        "(a row may never be added back):\n  " + _listing(report.unlisted)
    )
    assert not report.stale, (
        "served, yet listed as pending: remove from pending_endpoints.toml:\n  "
        + _listing(report.stale)
    )
    assert not report.unknown, "pending names that are no spec row:\n  " + _listing(report.unknown)
    assert not report.duplicated, "listed twice:\n  " + _listing(report.duplicated)


def test_the_table_holds_the_whole_spec(rows):
    counts = Counter(row.domain for row in rows)
    # §1 root 13 names (openapi on two URLs), §2 main 41 (+ the webhook alias), §3 chapter 17,
    # §4 publish 51, §5 internal 35 + 22 + 21 (review_moderate on two URLs), §6 auth 10 + 35.
    assert counts == {
        "root": 14,
        "main": 42,
        "chapter": 17,
        "publish": 51,
        "internal": 78,
        "auth": 45,
    }
    family = {r.name for r in rows if r.domain == "internal"}
    for entity in ("affiliate", "author", "customer", "internal", "publisher"):
        for op in ("list", "get", "create", "update", "delete", "search", "stats"):
            assert f"{entity}_{op}" in family


def test_the_table_is_well_formed(rows):
    keys = [(row.domain, row.name, row.url) for row in rows]
    assert len(keys) == len(set(keys)), "a (domain, name, url) appears twice"
    for row in rows:
        assert row.domain in {"root", "main", "chapter", "publish", "internal", "auth"}, row
        assert row.url.startswith("/"), row
        assert row.caller, row
        assert row.caller <= CALLERS, row
        assert KINDS.match(row.kind), row
        assert re.fullmatch(r"[a-z][a-z0-9_-]*", row.name), row
    for domain, prefix in (("publish", "/api/publish/"), ("internal", "/api/internal/")):
        assert all(r.url.startswith(prefix) for r in rows if r.domain == domain)
    assert all(r.url.startswith("/api/auth/") for r in rows if r.domain == "auth")


def test_the_pending_list_never_grows_past_its_first_size():
    total = sum(len(names) for names in spec.pending().values())
    assert total <= 164  # 164 names when the list was made; each domain issue removes its own


def _without(registry: Registry, domain: str, name: str) -> Registry:
    """A copy of ``registry`` that no longer serves ``domain``'s endpoint ``name``."""
    smaller = Registry()
    for key, endpoints in registry.endpoints.items():
        kept = [e for e in endpoints.values() if (key, e.name) != (domain, name)]
        smaller.add(registry.domains[key], kept)
    return smaller


def test_an_unlisted_missing_row_fails(built, rows):
    # Every row is served now: drop one from a copy of the registry to see the check bite.
    report = spec.check_pending(_without(built, "main", "trx"), rows, spec.pending())
    assert [(r.domain, r.name) for r in report.unlisted] == [("main", "trx")]
    assert not report.ok


def test_a_served_name_listed_as_pending_fails(built, rows):
    listed = spec.pending()
    listed["internal"] = [*listed["internal"], "cfg_get"]
    listed["root"] = [*listed["root"], "check"]  # served as an alias of health
    report = spec.check_pending(built, rows, listed)
    assert report.stale == [("root", "check"), ("internal", "cfg_get")]
    assert not report.unlisted
    assert not report.unknown


def test_a_pending_name_that_is_no_row_fails(built, rows):
    listed = spec.pending()
    listed["main"] = [*listed["main"], "create_payment"]  # MERGED: not a row
    listed["nowhere"] = ["x"]
    listed["publish"] = [*listed["publish"], "transactions", "transactions"]  # twice: served or not
    report = spec.check_pending(built, rows, listed)
    assert report.unknown == [("main", "create_payment"), ("nowhere", "x")]
    assert report.duplicated == [("publish", "transactions")]


def _row(domain: str, name: str, url: str, endpoint: str = "") -> spec.SpecRow:
    return spec.SpecRow(domain, name, url, endpoint, frozenset({"public"}), "PAGE", "")


@pytest.mark.parametrize(
    ("row", "served"),
    [
        (
            _row("chapter", "genre", "/genre/:slug/:page"),
            True,
        ),  # under /chapter, params by position
        (_row("chapter", "genre", "/genre/{slug}"), True),  # an alias URL counts
        (_row("chapter", "genre", "/chapter/genre/{slug}/{page}"), False),  # prefix given twice
        (_row("main", "about", "/contact"), False),  # the URL belongs to another name
        (_row("main", "contact", "/contact"), True),
        (_row("root", "check", "/api/check"), False),  # no endpoint named check ...
        (_row("root", "check", "/api/check", endpoint="health"), True),  # ... health serves it
        (_row("internal", "cfg_get", "/api/internal/cfg/get"), True),  # a CRUD action alias
        (_row("internal", "cfg_get", "/api/internal/cfg/{key}"), True),  # its REST route
        (_row("internal", "cfg_get", "/api/internal/cfg/list"), False),
        (_row("publish", "cfg_get", "/api/internal/cfg/get"), False),  # another domain
        (_row("auth", "auth_login", "/api/auth/login", endpoint="sign_in_email"), True),
    ],
)
def test_rows_match_name_and_url_as_the_registry_mounts_them(built, row, served):
    assert spec.Served(built).serves(row) is served


def test_served_rows_admit_exactly_the_spec_callers(built, rows):
    served = spec.Served(built)
    wrong = []
    for row in rows:
        if not served.serves(row) or (row.domain, row.served_by) in spec.SOCKETS:
            continue  # a socket authenticates at its handshake (rlib's notify tests)
        endpoint = built.endpoints[row.domain][row.served_by]
        access = built.domains[row.domain].access_for(endpoint)
        declared = access.user_types
        if access.public:
            declared = frozenset({"gateway" if access.gateway else "public"})
        if declared != row.caller:
            wrong.append((row.domain, row.name, sorted(declared or ()), sorted(row.caller)))
    assert not wrong, "declared callers differ from the spec:\n  " + _listing(wrong)
