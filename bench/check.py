"""Same work before any timing: every app must return the same rows for the same requests.

Reads: a sample of 50 requests from each scenario's rotation is sent to every app; the rows
(and, where the app builds O's envelope, the pagination) must be equal. Refusals (b_401):
every app answers the sample with the expected status. Creates: the same body goes to every
app; the returned rows and the stored rows must match with the server-generated fields (id,
published_at) masked, and an invalid body must be refused by every app with 422 naming the
same fields. On c_outbox's URL each valid create must also have queued exactly one outbox
row, the same in every app but for its id and times, and the invalid one none. A mismatch
raises :class:`MismatchError`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import asyncpg
import httpx
import orjson

from bench import contract, scenarios
from bench.config import BenchConfig
from bench.models import PRODUCT_COLUMNS
from bench.servers import Server

SAMPLE = 50
_MASKED = frozenset({"id", "published_at"})


class MismatchError(AssertionError):
    """The apps do not serve the same data; the run is aborted."""


def _rows(app: str, body: Mapping[str, Any]) -> list[Any]:
    return list(body["data"])


def _pagination(app: str, body: Mapping[str, Any]) -> dict[str, Any]:
    if app == "P":
        return {"total": body.get("total_count")}
    found = body.get("pagination") or {}
    return {key: value for key, value in found.items() if value is not None}


def _comparable(query: scenarios.ListQuery, page: dict[str, Any]) -> dict[str, Any]:
    # A planner estimate moves whenever ANALYZE (or autovacuum) refreshes the statistics, which
    # may happen between two apps' answers; its presence is compared, not its value.
    if query.count != "estimated":
        return page
    kept = {k: v for k, v in page.items() if k not in ("total", "totalPages")}
    return {**kept, "counted": page.get("totalPages") is not None}


def _agree(scenario: str, what: str, values: dict[str, Any]) -> None:
    reference = values.get("O")
    for app, value in values.items():
        if value != reference:
            raise MismatchError(
                f"{scenario}: {what} of {app} differs from O's:\n{value!r}\n{reference!r}"
            )


async def _answers(
    http: httpx.AsyncClient,
    scenario: scenarios.Scenario,
    servers: Mapping[str, Server],
    query: scenarios.ListQuery | scenarios.GetQuery,
    headers: Mapping[str, str] | None = None,
) -> AsyncIterator[tuple[str, str, Any]]:
    """Each app in turn, with the URL it was asked and its JSON answer to ``query``; any status
    but 200 is a mismatch."""
    for app in scenario.apps:
        url = servers[app].base_url + scenarios.render(app, query)
        response = await http.get(url, headers=headers)
        if response.status_code != 200:
            raise MismatchError(f"{scenario.name}: {app} answered {response.status_code}")
        yield app, url, response.json()


async def check_reads(scenario: scenarios.Scenario, servers: Mapping[str, Server]) -> int:
    """Compare a sample of the scenario's rotation across its apps; returns the count checked."""
    sample = list(scenario.requests[:SAMPLE])
    async with httpx.AsyncClient(timeout=30) as http:
        for query in sample:
            assert isinstance(query, scenarios.ListQuery)
            rows: dict[str, Any] = {}
            pages: dict[str, Any] = {}
            async for app, _, body in _answers(http, scenario, servers, query):
                rows[app] = _rows(app, body)
                page = _pagination(app, body)
                if app == "P":
                    page = {"total": page["total"]} if query.count == "exact" else {}
                pages[app] = page
            _agree(scenario.name, f"rows of {query}", rows)
            if query.count == "exact":
                _agree(scenario.name, "total", {a: p.get("total") for a, p in pages.items()})
            compared = {a: _comparable(query, p) for a, p in pages.items() if a != "P"}
            _agree(scenario.name, "pagination", compared)
    return len(sample)


async def check_gets(scenario: scenarios.Scenario, servers: Mapping[str, Server]) -> int:
    """Scenario b: the same row from every app with a token, and a 401 from every app without."""
    sample = list(scenario.requests[:SAMPLE])
    async with httpx.AsyncClient(timeout=30) as http:
        for query in sample:
            assert isinstance(query, scenarios.GetQuery)
            rows: dict[str, Any] = {}
            refused: dict[str, int] = {}
            async for app, url, body in _answers(http, scenario, servers, query, query.headers):
                rows[app] = body if app == "P" else body["data"]
                refused[app] = (await http.get(url)).status_code
            _agree(scenario.name, f"row of {query.product_id}", rows)
            _agree(scenario.name, "answer without a token", refused)
    return len(sample)


async def check_refusals(scenario: scenarios.Scenario, servers: Mapping[str, Server]) -> int:
    """b_401: every app answers every sampled request with the scenario's expected status."""
    sample = list(scenario.requests[:SAMPLE])
    async with httpx.AsyncClient(timeout=30) as http:
        for query in sample:
            assert isinstance(query, scenarios.GetQuery)
            statuses = {}
            for app in scenario.apps:
                url = servers[app].base_url + scenarios.render(app, query)
                statuses[app] = (await http.get(url, headers=query.headers)).status_code
            if set(statuses.values()) != {scenario.expect_status}:
                raise MismatchError(f"{scenario.name}: answers {statuses} for {query}")
    return len(sample)


def _masked(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in PRODUCT_COLUMNS if k not in _MASKED}


def _field_names(app: str, body: Mapping[str, Any]) -> list[str]:
    if app in ("F", "P"):
        return sorted(str(item["loc"][-1]) for item in body["detail"])
    return sorted(str(item["field"]) for item in body["errors"])


async def _stored(cfg: BenchConfig, ids: dict[str, int]) -> dict[str, Any]:
    conn = await asyncpg.connect(cfg.dsn)
    try:
        found = {}
        for app, row_id in ids.items():
            row = await conn.fetchrow("SELECT * FROM product WHERE id = $1", row_id)
            found[app] = _masked(dict(row)) if row else None
        return found
    finally:
        await conn.close()


_OUTBOX_MASKED = frozenset({"id", "message_id", "created_at", "updated_at", "next_attempt_at"})
_OUTBOX_JSON = ("to_addrs", "template_model", "headers")


def _outbox_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """An outbox row without its id and times, plus whether those are what rlib writes."""
    kept = {k: v for k, v in row.items() if k not in _OUTBOX_MASKED}
    for key in _OUTBOX_JSON:  # JSON null (rlib writes headers=None so) reads as SQL NULL
        kept[key] = None if kept[key] is None else orjson.loads(kept[key])
    kept["message_id_is_rlibs"] = row["message_id"] == contract.message_id(row["id"])
    times = {row["created_at"], row["updated_at"], row["next_attempt_at"]}
    kept["times_equal"] = len(times) == 1
    return kept


async def _outbox_ids(cfg: BenchConfig) -> set[Any]:
    conn = await asyncpg.connect(cfg.dsn)
    try:
        return {row["id"] for row in await conn.fetch("SELECT id FROM outbox")}
    finally:
        await conn.close()


async def _outbox_rows(cfg: BenchConfig, ids: set[Any]) -> list[dict[str, Any]]:
    conn = await asyncpg.connect(cfg.dsn)
    try:
        rows = await conn.fetch("SELECT * FROM outbox WHERE id = ANY($1::uuid[])", list(ids))
        return [_outbox_row(dict(row)) for row in rows]
    finally:
        await conn.close()


async def check_creates(
    scenario: scenarios.Scenario, servers: Mapping[str, Server], cfg: BenchConfig
) -> int:
    """Create the same product through every app; compare answers, stored rows and 422s (and,
    on c_outbox's URL, the queued mail)."""
    body = orjson.dumps(scenario.requests[0])
    headers = {"content-type": "application/json"}
    returned: dict[str, Any] = {}
    ids: dict[str, int] = {}
    refused: dict[str, Any] = {}
    mailed: dict[str, Any] = {}
    checks_mail = scenario.url == contract.MAILED_PRODUCTS and not cfg.is_sqlite
    async with httpx.AsyncClient(timeout=30) as http:
        for app in scenario.apps:
            url = servers[app].base_url + scenario.url
            before = await _outbox_ids(cfg) if checks_mail else set()
            response = await http.post(url, content=body, headers=headers)
            if response.status_code not in (200, 201):
                raise MismatchError(
                    f"{scenario.name}: {app} answered {response.status_code}: {response.text}"
                )
            data = response.json()
            row = data if app == "P" else data["data"]
            returned[app], ids[app] = _masked(row), row["id"]
            bad = await http.post(
                url, content=orjson.dumps(scenarios.INVALID_BODY), headers=headers
            )
            refused[app] = (bad.status_code, _field_names(app, bad.json()))
            if checks_mail:
                mailed[app] = await _outbox_rows(cfg, await _outbox_ids(cfg) - before)
    name = scenario.name
    _agree(name, "returned row", returned)
    if not cfg.is_sqlite:
        _agree(name, "stored row", await _stored(cfg, ids))
    _agree(name, "422 answer (status, fields)", refused)
    if checks_mail:
        if len(mailed["O"]) != 1:
            raise MismatchError(f"{name}: O queued {len(mailed['O'])} mails for one create")
        _agree(name, "queued mail (outbox rows)", mailed)
    return len(scenario.apps)
