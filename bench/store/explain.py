"""EXPLAIN ANALYZE of the search page's two statements at the seeded scale: the trigram GIN
indexes (``product_name_trgm``, ``bundle_name_trgm``) must serve ``name ILIKE '%q%'``."""

from __future__ import annotations

from typing import Any

import asyncpg
import orjson

from bench.store import sql
from bench.store.config import StoreConfig
from bench.store.h import like_pattern
from bench.store.pages import SEARCH_TERMS


def _walk(node: dict[str, Any], found: dict[str, set[str]]) -> None:
    found["nodes"].add(node["Node Type"])
    if "Index Name" in node:
        found["indexes"].add(node["Index Name"])
    for child in node.get("Plans", ()):
        _walk(child, found)


async def _explain(conn: asyncpg.Connection, statement: str, *args: object) -> dict[str, Any]:
    raw = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", *args)
    plan = orjson.loads(raw)[0]
    found: dict[str, set[str]] = {"nodes": set(), "indexes": set()}
    _walk(plan["Plan"], found)
    return {
        "nodes": sorted(found["nodes"]),
        "indexes": sorted(found["indexes"]),
        "rows": plan["Plan"]["Actual Rows"],
        "execution_ms": round(plan["Execution Time"], 2),
        "planning_ms": round(plan["Planning Time"], 2),
    }


async def search_plans(cfg: StoreConfig) -> dict[str, Any]:
    """Per search term: the count's and the page's plan shape and timing."""
    conn = await asyncpg.connect(cfg.dsn)
    try:
        products = await conn.fetchval(
            "SELECT count(*) FROM product WHERE status = 'published' AND deleted_at IS NULL"
        )
        terms = {}
        for term in SEARCH_TERMS:
            pattern = like_pattern(term)
            terms[term] = {
                "count": await _explain(conn, sql.SEARCH_COUNT, pattern),
                "rows": await _explain(conn, sql.SEARCH_ROWS, pattern, 20, 0),
            }
        return {"live_products": products, "terms": terms}
    finally:
        await conn.close()
