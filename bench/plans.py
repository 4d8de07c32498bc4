"""The same-plan check (benchmarks.md §4, §9): H's and O's SQL for a list must plan alike.

Before any timing, a sample of the scenario's requests is run once against O in this process
(its ASGI app over httpx, not the server under test) while an asyncpg query logger records
every statement O sends, with its arguments. H's statements are rebuilt by the very functions H
serves them with (``bench.contract.rows_sql`` / ``count_sql``). Both are EXPLAINed (FORMAT
JSON, no ANALYZE, parameters bound as sent) and reduced to their shape: node types, relations
and index names, costs and row estimates dropped. A different shape for the rows or the count
statement aborts the run; the shapes go to the JSON meta.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import orjson

from bench import contract, scenarios
from bench.apps.o import create_app
from bench.check import MismatchError
from bench.config import BenchConfig

SAMPLE = 8  # one request per search term of a2's rotation is enough to see every plan
ROLES = ("rows", "count")
_SHAPE_KEYS = ("Node Type", "Relation Name", "Index Name", "Parent Relationship")

Statement = tuple[str, list[Any]]


def shape(plan: dict[str, Any]) -> dict[str, Any]:
    """A plan node without its costs: node type, relation, index, then the children's shapes."""
    node: dict[str, Any] = {key: plan[key] for key in _SHAPE_KEYS if key in plan}
    if plan.get("Plans"):
        node["Plans"] = [shape(child) for child in plan["Plans"]]
    return node


def role(sql: str) -> str | None:
    """What a list statement is for: the page (rows), the count, or something else (None)."""
    text = " ".join(sql.lower().split())
    if "count(" in text and "from product" in text:
        return "count"
    if text.startswith("select") and "from product" in text and "limit" in text:
        return "rows"
    return None


def h_statements(query: scenarios.ListQuery) -> dict[str, Statement]:
    """The rows and count statements H sends for ``query`` (same functions as H's handler)."""
    where, args = contract.where_clause(query.category, query.search)
    limit, offset = contract.PAGE_LIMIT, (query.page - 1) * contract.PAGE_LIMIT
    return {
        "rows": (contract.rows_sql(where, len(args)), [*args, limit, offset]),
        "count": (contract.count_sql(where), list(args)),
    }


async def o_statements(cfg: BenchConfig, queries: list[scenarios.ListQuery]) -> list[list[Any]]:
    """Every statement O sends per request, as asyncpg logged them: ``[(sql, args), ...]``."""
    app = create_app(cfg)
    native = app.database.native
    if native is None:
        raise RuntimeError("the same-plan check needs PostgreSQL")
    current: list[Statement] = []
    attached: set[int] = set()

    def on_query(logged: Any) -> None:  # asyncpg LoggedQuery
        current.append((logged.query, list(logged.args)))

    def attach(connection: Any) -> None:
        if id(connection) not in attached:
            connection.add_query_logger(on_query)
            attached.add(id(connection))

    native.hooks.append(attach)
    found = []
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://o") as http:
            for query in queries:
                current.clear()
                response = await http.get(scenarios.render("O", query))
                if response.status_code != 200:
                    raise MismatchError(f"same plan: O answered {response.status_code}")
                found.append(list(current))
    finally:
        native.hooks.remove(attach)
        await app.database.dispose()
    return found


async def _explain(conn: asyncpg.Connection, statement: Statement) -> dict[str, Any]:
    sql, args = statement
    raw = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *args)
    plan: dict[str, Any] = orjson.loads(raw)[0]["Plan"]
    return shape(plan)


def _by_role(statements: list[Statement]) -> dict[str, Statement]:
    found: dict[str, Statement] = {}
    for sql, args in statements:
        kind = role(sql)
        if kind is not None:
            if kind in found:
                raise MismatchError(f"same plan: O sent two {kind} statements: {sql}")
            found[kind] = (sql, args)
    return found


def _distinct(items: list[Any]) -> Iterator[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
            yield item


async def check_same_plan(cfg: BenchConfig, scenario: scenarios.Scenario) -> dict[str, Any]:
    """EXPLAIN H's and O's rows and count statements for a sample; equal shapes or abort."""
    queries = [q for q in scenario.requests[:SAMPLE] if isinstance(q, scenarios.ListQuery)]
    sent = await o_statements(cfg, queries)
    conn = await asyncpg.connect(cfg.dsn)
    plans: dict[str, list[Any]] = {kind: [] for kind in ROLES}
    o_sql: dict[str, str] = {}
    try:
        for query, statements in zip(queries, sent, strict=True):
            ours, theirs = _by_role(statements), h_statements(query)
            for kind in ROLES:
                if kind not in ours:
                    raise MismatchError(f"same plan: O sent no {kind} statement for {query}")
                h_plan = await _explain(conn, theirs[kind])
                o_plan = await _explain(conn, ours[kind])
                if h_plan != o_plan:
                    raise MismatchError(
                        f"{scenario.name}: the {kind} plans of H and O differ for {query}:\n"
                        f"H {theirs[kind][0]}\n{h_plan}\nO {ours[kind][0]}\n{o_plan}"
                    )
                plans[kind].append(o_plan)
                o_sql[kind] = ours[kind][0]
    finally:
        await conn.close()
    return {
        "requests": len(queries),
        "statements_per_request": sorted({len(s) for s in sent}),
        "o_sql": o_sql,
        "h_sql": {kind: stmt[0] for kind, stmt in h_statements(queries[0]).items()},
        "plans": {kind: list(_distinct(found)) for kind, found in plans.items()},
    }
