"""Contract fuzzing support (issue 19, security.md T1): schemathesis cases from the app's own
OpenAPI, sent in-process to the app as each auth context, and judged.

Cases come from schemathesis (its coverage phase: boundary values, NUL bytes, over-long strings,
wrong types, missing fields; under ``make battery`` its Hypothesis fuzzing too). They are sent
through httpx's ASGI transport in the test's own event loop, so the app runs on the test's
PostgreSQL pool with real sessions (bearer tokens minted per request, as the access matrix does).
Each answer is judged by schemathesis' schema checks and by our own: no 5xx, a denied caller
never reaches the handler, the security headers of H1 on every answer (T1.4).
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import httpx
import requests
import schemathesis
from hypothesis.errors import HypothesisException
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.generation import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.generation.hypothesis.examples import generate_many
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from esensi.app import GEN, registry
from esensi.users import STAFF_ROLES
from rlib.gen.openapi import build_openapi

# Anonymous, the five user types (staff with every role flag), then staff with exactly one.
CONTEXTS = [
    "anonymous",
    "customer",
    "author",
    "publisher",
    "affiliate",
    "internal",
    *(f"internal:{role}" for role in STAFF_ROLES),
]
SCHEMA_CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
BASE_URL = "http://127.0.0.1"
SESSION_COOKIES = ("session", "__Host-session")


@functools.cache
def document() -> dict[str, Any]:
    """The OpenAPI document ``esensi gen`` writes (built from the registry, never the copy)."""
    return build_openapi(registry(), title=GEN.title, version=GEN.version)


@functools.cache
def operations() -> tuple[APIOperation, ...]:
    schema = schemathesis.openapi.from_dict(document())
    return tuple(result.ok() for result in schema.get_all_operations())


def caller_roles(context: str) -> tuple[str, frozenset[str]]:
    """The user type and staff role flags of a context (``internal`` holds every flag)."""
    kind, _, role = context.partition(":")
    if context == "internal":
        return kind, frozenset(STAFF_ROLES)
    return kind, frozenset({role} - {""})


def admitted(access: str, context: str) -> str:
    """``open``, ``401`` or ``403``: what the operation's declared access (``x-rlib-access``,
    domain defaults already resolved) says of ``context``."""
    if access in ("public", "gateway"):
        return "open"
    if context == "anonymous":
        return "401"
    kind, roles = caller_roles(context)
    for entry in (part.strip() for part in access.split(",")):
        admitted_kind, _, role = entry.partition(":")
        if entry == "any" or (admitted_kind == kind and (not role or role in roles)):
            return "open"
    return "403"


def access_of(operation: APIOperation) -> str:
    return str(operation.definition.raw["x-rlib-access"])


def coverage_cases(operation: APIOperation, limit: int, rng: random.Random) -> list[Case]:
    """Up to ``limit`` cases of schemathesis' coverage phase, spread over all it yields (its
    first case is the valid one; the rest are boundaries and negations)."""
    schema = operation.schema
    config = schema.config.generation_for(operation=operation, phase="coverage")
    every = schema.iter_coverage_cases(
        operation, generation_modes=list(GenerationMode), generation_config=config
    )
    # Other methods on the operation's path only probe the router's 405: once per path is enough.
    found = [
        case for case in islice(every, 2000) if case.method.upper() == operation.method.upper()
    ]
    if len(found) <= limit:
        return found
    return [found[0], *rng.sample(found[1:], limit - 1)]


def positive(cases: list[Case]) -> list[Case]:
    """The cases generated to be valid."""
    return [c for c in cases if c.meta is None or c.meta.generation.mode == GenerationMode.POSITIVE]


def fuzzed_cases(
    operation: APIOperation, limit: int, modes: tuple[GenerationMode, ...] = tuple(GenerationMode)
) -> list[Case]:
    """Up to ``limit`` cases drawn by Hypothesis, valid and invalid alike (or of ``modes``)."""
    cases: list[Case] = []
    for mode in modes:
        try:
            cases += generate_many(operation.as_strategy(generation_mode=mode), limit // 2 or 1)
        except HypothesisException:  # nothing to negate (no parameters): valid cases only
            continue
    return cases


def prepared(case: Case, headers: dict[str, str]) -> httpx.Request:
    """The request schemathesis would send for ``case``, as an httpx request."""
    kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=headers)
    kwargs.pop("auth", None)
    if "Authorization" in headers:
        # Schemathesis fills the declared security schemes too: a made-up session cookie would
        # make a context's own bearer a dead session's (401). Anonymous keeps the made-up ones.
        cookies = dict(kwargs.get("cookies") or {})  # a copy: the case keeps its own
        kwargs["cookies"] = {k: v for k, v in cookies.items() if k not in SESSION_COOKIES}
    sent = requests.Request(**kwargs).prepare()
    body = sent.body.encode() if isinstance(sent.body, str) else (sent.body or b"")
    return httpx.Request(str(sent.method), str(sent.url), headers=dict(sent.headers), content=body)


@dataclass
class Finding:
    check: str
    context: str
    operation: str
    status: int
    detail: str

    def __str__(self) -> str:
        return f"{self.check} {self.operation} as {self.context}: {self.status} {self.detail}"


@dataclass
class Tally:
    """What the fuzzing saw: requests, pairs exercised, and every finding by check."""

    requests: int = 0
    pairs: set[tuple[str, str]] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    deep: set[str] = field(default_factory=set)  # operations the report's deep pass reached
    findings: list[Finding] = field(default_factory=list)

    def count(self, check: str) -> int:
        return sum(1 for finding in self.findings if finding.check == check)

    def examples(self, check: str, limit: int = 5) -> list[str]:
        return [str(f) for f in self.findings if f.check == check][:limit]


# security.md H1, on every answer of the API (production settings).
API_HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "strict-transport-security": "max-age=31536000; includeSubDomains",
}
JSON_TYPE = "application/json; charset=utf-8"


def missing_headers(path: str, access: str, answer: httpx.Response) -> list[str]:
    """The H1 headers ``answer`` lacks or carries with another value (T1.4). JSON answers
    carry all of them; files, the docs page and the metrics text keep at least nosniff and
    HSTS; protected and auth routes' answers are ``no-store``."""
    wrong = []
    json_answer = answer.headers.get("content-type", "").startswith("application/json")
    expected = API_HEADERS if json_answer else {
        k: API_HEADERS[k] for k in ("x-content-type-options", "strict-transport-security")
    }  # fmt: skip
    if json_answer and answer.headers.get("content-type") != JSON_TYPE:
        wrong.append(f"content-type: {answer.headers.get('content-type')}")
    for name, value in expected.items():
        if answer.headers.get(name) != value:
            wrong.append(f"{name}: {answer.headers.get(name)}")
    private = path.startswith("/api/auth/") or access not in ("public", "gateway")
    if private and "no-store" not in answer.headers.get("cache-control", ""):
        wrong.append(f"cache-control: {answer.headers.get('cache-control')}")
    return wrong


def judge(
    tally: Tally, case: Case, context: str, request: httpx.Request, answer: httpx.Response
) -> None:
    """Record ``answer`` to ``case`` sent as ``context``."""
    operation = case.operation
    label = operation.label
    tally.requests += 1
    tally.pairs.add((label, context))
    tally.statuses[answer.status_code] += 1
    if answer.status_code >= 500:
        tally.findings.append(
            Finding("server_error", context, label, answer.status_code, answer.text[:300])
        )
    wrong = missing_headers(operation.path, access_of(operation), answer)
    if wrong:
        tally.findings.append(
            Finding("headers", context, label, answer.status_code, "; ".join(wrong))
        )
    expected = admitted(access_of(operation), context)
    if expected != "open" and answer.status_code < 400:
        tally.findings.append(Finding("ignored_auth", context, label, answer.status_code, ""))
    elif expected != "open" and answer.status_code not in (401, 403):
        tally.findings.append(
            Finding("denial_status", context, label, answer.status_code, f"expected {expected}")
        )
    answer.request = request
    try:
        case.validate_response(Response.from_httpx(answer, verify=True), checks=SCHEMA_CHECKS)
    except FailureGroup as group:
        for failure in group.exceptions:
            tally.findings.append(
                Finding(
                    "schema",
                    context,
                    label,
                    answer.status_code,
                    f"{failure.title}: {failure.message[:400]} | {answer.text[:200]}",
                )
            )


@dataclass
class CrudResource:
    """A resource the OpenAPI marks as CRUD (``x-rlib-crud``) with create, get and delete."""

    name: str
    context: str  # the first context admitted to create it
    ops: dict[str, APIOperation]

    def __str__(self) -> str:
        return self.name


def crud_resources() -> list[CrudResource]:
    """Every CRUD resource with a create, a get by id and a delete by id (the links of the
    stateful run: create -> get -> update -> delete -> get)."""
    found: dict[str, dict[str, APIOperation]] = {}
    for operation in operations():
        raw = operation.definition.raw
        crud = raw.get("x-rlib-crud")
        if crud is None or "x-rlib-alias-of" in raw:
            continue
        if crud["action"] in ("get", "update", "delete") and "{id}" not in operation.path:
            continue
        name = f"{raw['tags'][0]}.{crud['resource']}"
        found.setdefault(name, {})[crud["action"]] = operation
    resources = []
    for name, ops in sorted(found.items()):
        if not {"create", "get", "delete"} <= set(ops):
            continue
        access = access_of(ops["create"])
        context = next(c for c in CONTEXTS if admitted(access, c) == "open")
        resources.append(CrudResource(name, context, ops))
    return resources


def created_id(answer: httpx.Response) -> str | None:
    if answer.status_code != 201:
        return None
    data = answer.json().get("data")
    if not isinstance(data, dict):
        return None
    key = data.get("id", data.get("key"))  # cfg rows are keyed by their key
    return None if key is None else str(key)
