"""T1 contract fuzzing (issue 19, security.md section 16): every operation of the app's own
OpenAPI, once per auth context, on PostgreSQL (SQLite hides NUL bytes and over-long strings)."""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from battery_support import report_run, sized
from contract_helpers import (
    BASE_URL,
    CONTEXTS,
    CrudResource,
    Finding,
    Tally,
    access_of,
    admitted,
    caller_roles,
    coverage_cases,
    created_id,
    crud_resources,
    fuzzed_cases,
    judge,
    operations,
    positive,
    prepared,
)
from schemathesis.generation import GenerationMode
from schemathesis.generation.case import Case
from schemathesis.schemas import APIOperation

from esensi.app import auth_kit, build_app
from esensi.settings import Settings
from esensi.users import STAFF_ROLES
from factories.logins import add_profile, make_login, make_session
from rlib.auth.mailer import MemoryAuthMailer
from rlib.db.engine import Database

pytestmark = [
    pytest.mark.battery,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("ESENSI_TEST_DATABASE_URL"), reason="needs ESENSI_TEST_DATABASE_URL"
    ),
    pytest.mark.parametrize("backend", ["postgresql"]),
]

FINDINGS_ENV = "ESENSI_CONTRACT_FINDINGS"
# make battery: the fuzzing's time box, first pass included (the contract part's budget is
# 7 min: this, the stateful run's 45 s and start-up).
FUZZ_BOX_S = 320
SECRET = "contract-fuzzing-secret-key-0123456789abcdef"


def production(database: Database, files: Path) -> Settings:
    """Production's settings (session cookies, CSRF, no demo routes, protected docs)."""
    return Settings(
        env="production",
        database_url=database.config.url,
        auth={"secret_key": SECRET},
        files={"directory": files},
    )


@pytest.fixture
async def fuzz_client(database: Database, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = production(database, tmp_path)
    app = build_app(settings, kit=auth_kit(settings, mailer=MemoryAuthMailer()))
    app.use_database(database)
    await app.startup()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            yield client
    finally:
        await app.shutdown()


class Callers:
    """One verified login per context; a fresh session for every request (a sign-out or a
    password change revokes the one it is sent with)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.users: dict[str, object] = {}
        self.tokens: dict[str, str] = {}

    def forget(self) -> None:
        """Mint new sessions: the last request may have revoked one (sign-out, revoke-sessions,
        a password change)."""
        self.tokens.clear()

    async def login(self, context: str) -> object:
        kind, roles = caller_roles(context)
        flags = {column: role in roles for role, column in STAFF_ROLES.items()}
        async with self.database.sessionmaker() as db:
            user = await make_login(db, password=None, email_verified=True)
            await add_profile(db, user, kind, **(flags if kind == "internal" else {}))
            await db.commit()
        return user

    async def headers(self, context: str) -> dict[str, str]:
        if context == "anonymous":
            return {}
        if context not in self.users:
            self.users[context] = await self.login(context)
        if context not in self.tokens:
            async with self.database.sessionmaker() as db:
                user = self.users[context]
                kind = caller_roles(context)[0]
                self.tokens[context] = await make_session(db, user, kind=kind)
                await db.commit()
        return {"Authorization": f"Bearer {self.tokens[context]}"}


def chosen_operations() -> list[APIOperation]:
    """Every operation; at CI size without the aliases (a second method or URL of the same
    endpoint: same handler, same input model)."""
    every = operations()
    if report_run():
        return list(every)
    return [op for op in every if "x-rlib-alias-of" not in op.definition.raw]


async def exchange(
    client: httpx.AsyncClient, callers: Callers, tally: Tally, case: Case, context: str
) -> None:
    """Send ``case`` as ``context`` and judge the answer; keep the context what it is."""
    request = prepared(case, await callers.headers(context))
    answer = await client.send(request)
    judge(tally, case, context, request, answer)
    path = case.operation.path
    if path.startswith("/api/auth/") or answer.status_code == 401:
        callers.forget()
    if answer.status_code < 300 and any(word in path for word in ("onboarding", "/api/auth/")):
        # A new profile, a deleted account, a changed email or 2FA: a new login.
        callers.users.pop(context, None)


async def fuzz(client: httpx.AsyncClient, database: Database) -> Tally:
    """Every chosen operation as every context: a few cases where the context is admitted (all
    of them for the first such context, one each for the others), one where it is not (the
    denial is decided before the input is read). Under ``make battery`` a deep pass follows
    until the time box ends: per operation, many more boundary cases and Hypothesis' own, as
    every admitted context."""
    ends = time.monotonic() + FUZZ_BOX_S
    rng = random.Random(19)
    tally = Tally()
    callers = Callers(database)
    ops = chosen_operations()
    for operation in ops:
        cases = coverage_cases(operation, 3, rng)
        opened = 0
        for context in CONTEXTS:
            expected = admitted(access_of(operation), context)
            if expected != "open":
                chosen = cases[:1]
            elif opened == 0:
                chosen = cases
            else:
                chosen = [cases[opened % len(cases)]] if cases else []
            opened += expected == "open"
            for case in chosen:
                await exchange(client, callers, tally, case, context)
    for operation in rng.sample(ops, len(ops)) if report_run() else []:
        if time.monotonic() >= ends:
            break
        cases = coverage_cases(operation, 30, rng)[3:] + fuzzed_cases(operation, 8)
        contexts = [c for c in CONTEXTS if admitted(access_of(operation), c) == "open"]
        for case in cases:
            await exchange(client, callers, tally, case, rng.choice(contexts))
        tally.deep.add(operation.label)
    return tally


@dataclass
class Lifecycles:
    """The stateful run: create -> get -> update -> delete, then the deleted id again."""

    resources: int = 0
    created: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    refused: dict[str, str] = field(default_factory=dict)  # the last refused create, per resource
    live: dict[str, str] = field(default_factory=dict)  # a row kept per resource: id_<name> links
    rounds: int = 0


async def send(
    client: httpx.AsyncClient, callers: Callers, tally: Tally, case: Case, context: str
) -> httpx.Response:
    request = prepared(case, await callers.headers(context))
    answer = await client.send(request)
    judge(tally, case, context, request, answer)
    return answer


def _linked(case: Case, live: dict[str, str]) -> Case:
    """``case`` with each ``id_<resource>`` of its body naming a live row of that resource (the
    create -> create links: a landing item needs its landing)."""
    body = case.body
    if not isinstance(body, dict):
        return case
    linked = {
        k: live.get(k.removeprefix("id_"), v) if k.startswith("id_") else v for k, v in body.items()
    }
    return case.operation.Case(body=linked, media_type=case.media_type)


def _with_id(operation: APIOperation, row_id: str, like: Case | None = None) -> Case:
    if like is None:
        return operation.Case(path_parameters={"id": row_id})
    body = like.body
    if isinstance(body, dict) and "id" in body:
        # A body id contradicting the URL's is refused (422, v.path_conflict) whatever the row:
        # the lifecycle asks about the URL's row, so the body names the same one.
        body = {**body, "id": row_id}
    return operation.Case(path_parameters={"id": row_id}, body=body, media_type=like.media_type)


async def lifecycle(
    client: httpx.AsyncClient,
    callers: Callers,
    tally: Tally,
    resource: CrudResource,
    bodies: list[Case],
    seen: Lifecycles,
) -> None:
    """One create -> get -> update -> delete of ``resource``, then get, update and delete of
    the deleted id: each must be 404 (security Z5; schemathesis' ``use_after_free``)."""
    ops, context = resource.ops, resource.context
    row_id = None
    bodies = [_linked(case, seen.live) for case in bodies]
    for case in bodies:
        answer = await send(client, callers, tally, case, context)
        row_id = created_id(answer)
        if row_id is not None:
            break
        seen.refused[resource.name] = f"{answer.status_code} {answer.text[:300]}"
    if row_id is None:
        return
    seen.created.add(resource.name)
    await send(client, callers, tally, _with_id(ops["get"], row_id), context)
    updates = (
        positive(coverage_cases(ops["update"], 2, random.Random(row_id))) if "update" in ops else []
    )
    for update in updates[:1]:
        await send(client, callers, tally, _with_id(ops["update"], row_id, update), context)
    deleted = await send(client, callers, tally, _with_id(ops["delete"], row_id), context)
    if deleted.status_code < 300:
        await after_delete(client, callers, tally, resource, row_id, updates[:1])
        seen.deleted.add(resource.name)
    for case in bodies:  # a row that stays, for the resources that link to this one
        kept = created_id(await send(client, callers, tally, case, context))
        if kept is not None:
            seen.live[resource.name.rpartition(".")[2]] = kept
            break


async def after_delete(
    client: httpx.AsyncClient,
    callers: Callers,
    tally: Tally,
    resource: CrudResource,
    row_id: str,
    updates: list[Case],
) -> None:
    """Get, delete and update the deleted id: each must answer 404."""
    ops, context = resource.ops, resource.context
    after = [_with_id(ops["get"], row_id), _with_id(ops["delete"], row_id)]
    after += [_with_id(ops["update"], row_id, update) for update in updates]
    for case in after:
        answer = await send(client, callers, tally, case, context)
        if answer.status_code != 404:
            tally.findings.append(
                Finding(
                    "use_after_delete", context, case.operation.label, answer.status_code, row_id
                )
            )


async def stateful(client: httpx.AsyncClient, database: Database, tally: Tally) -> Lifecycles:
    """Every CRUD resource's lifecycle, repeated with new bodies until the time box ends (one
    round at CI size)."""
    box = sized(ci=0, report=45)
    rng = random.Random(4)
    callers = Callers(database)
    seen = Lifecycles()
    seen.live["user"] = str((await callers.login("customer")).id)
    resources = crud_resources()
    seen.resources = len(resources)
    ends = time.monotonic() + box
    while True:
        for resource in resources:
            create = resource.ops["create"]
            bodies = positive(coverage_cases(create, 4, rng))
            bodies += fuzzed_cases(create, sized(ci=4, report=8), (GenerationMode.POSITIVE,))
            await lifecycle(client, callers, tally, resource, bodies, seen)
        seen.rounds += 1
        if time.monotonic() >= ends:
            return seen


async def test_every_operation_as_every_context(fuzz_client, database, battery):
    started = time.monotonic()
    tally = await fuzz(fuzz_client, database)
    elapsed = time.monotonic() - started
    expected_pairs = len(chosen_operations()) * len(CONTEXTS)

    def line(check_id: str, metric: str, check: str) -> None:
        found = tally.count(check)
        measured = f"{found} of {tally.requests}" + (
            f" ({tally.examples(check, 3)})" if found else ""
        )
        battery.check(check_id, metric, "= 0", measured, found == 0)

    if os.environ.get(FINDINGS_ENV):  # every finding, for reading after a long run
        Path(os.environ[FINDINGS_ENV]).write_text(json.dumps([vars(f) for f in tally.findings]))
    battery.check(
        "C5",
        "operations x auth contexts exercised",
        f"= {expected_pairs}",
        f"{len(tally.pairs)} ({tally.requests} requests in {elapsed:.0f} s"
        + (f"; deep pass: {len(tally.deep)} operations" if report_run() else "")
        + ")",
        len(tally.pairs) == expected_pairs,
    )
    line("C1", "server errors (5xx)", "server_error")
    line("C2", "responses violating their schema (status, content type, headers, body)", "schema")
    line("C3", "ignored auth (a denied caller reached the handler)", "ignored_auth")
    line("C6", "denials not 401 (anonymous) / 403 (wrong user type or role)", "denial_status")
    line("C9", "answers lacking a security header of H1 (T1.4)", "headers")


async def test_crud_lifecycles_following_the_links(fuzz_client, database, battery):
    tally = Tally()
    seen = await stateful(fuzz_client, database, tally)
    errors = tally.count("server_error") + tally.count("schema")
    battery.check(
        "C8",
        "5xx or schema violations in the stateful run",
        "= 0",
        f"{errors} of {tally.requests}"
        + (
            f" ({[*tally.examples('server_error', 2), *tally.examples('schema', 2)]})"
            if errors
            else ""
        ),
        errors == 0,
    )
    found = tally.count("use_after_delete")
    battery.check(
        "C4",
        "use after delete (a deleted id answered other than 404)",
        "= 0",
        f"{found}" + (f" ({tally.examples('use_after_delete', 3)})" if found else ""),
        found == 0,
    )
    battery.check(
        "C7",
        "CRUD resources taken through create -> get -> update -> delete -> 404",
        f"= {seen.resources}",
        f"{len(seen.deleted)} deleted, {len(seen.created)} created, {seen.rounds} round(s); "
        f"not deleted: {sorted(r.name for r in crud_resources() if r.name not in seen.deleted)}"
        + (f"; last refusals: {seen.refused}" if len(seen.deleted) < seen.resources else ""),
        len(seen.deleted) == seen.resources,
    )
