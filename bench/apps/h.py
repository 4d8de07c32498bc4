"""H: hand-written Starlette + asyncpg pool + orjson; the ceiling a careful engineer reaches.

No validation layer beyond what the contract needs, rows straight to dicts, one pool.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import hashlib
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench import contract
from bench.config import POOL_SIZE, BenchConfig

_OPTIONS = orjson.OPT_UTC_Z


def _default(value: object) -> object:
    if isinstance(value, decimal.Decimal):
        return str(value)
    raise TypeError


def _json(body: object, status: int = 200) -> Response:
    return Response(
        orjson.dumps(body, default=_default, option=_OPTIONS),
        status_code=status,
        media_type="application/json",
    )


def _error(status: int, message: str, errors: list[dict[str, str]] | None = None) -> Response:
    body: dict[str, object] = {"success": False, "data": None, "message": message, "status": status}
    if errors is not None:
        body["errors"] = errors
    return _json(body, status)


def _int(raw: str | None, default: int, low: int, high: int) -> int | None:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


async def list_products(request: Request) -> Response:
    q = request.query_params
    page = _int(q.get("page"), 1, 1, 10_000)
    limit = _int(q.get("limit"), contract.PAGE_LIMIT, 1, contract.MAX_LIMIT)
    if page is None or limit is None:
        return _error(422, "invalid paging")
    mode = q.get("count", "exact")
    counted = mode in ("exact", "estimated")
    where, args = contract.where_clause(q.get("category"), q.get("search"))
    sql = contract.rows_sql(where, len(args))
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        fetched = await conn.fetch(sql, *args, limit + (0 if counted else 1), (page - 1) * limit)
        rows = [dict(r) for r in fetched[:limit]]
        total = await _total(conn, mode, where, args) if counted else None
        if q.get("include") == "author" and rows:
            ids = list({r["author_id"] for r in rows})
            authors = {a["id"]: dict(a) for a in await conn.fetch(contract.AUTHOR_SELECT, ids)}
            for row in rows:
                row["author"] = authors.get(row["author_id"])
    has_more = None if counted else len(fetched) > limit
    return _json(
        {
            "success": True,
            "data": rows,
            "message": contract.OK_MESSAGE,
            "status": 200,
            "pagination": contract.pagination(page, limit, total, has_more),
        }
    )


async def _total(conn: asyncpg.Connection, mode: str, where: str, args: list[object]) -> int:
    if mode == "estimated":
        # The planner's row estimate of the same FROM/WHERE: a plan, not a scan. EXPLAIN takes
        # no parameters, so the values go in as escaped string literals (all of them are text).
        sql = re.sub(r"\$(\d+)", lambda m: _literal(args[int(m.group(1)) - 1]), where)
        plan = await conn.fetchval(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM product{sql}")
        estimate = int(orjson.loads(plan)[0]["Plan"]["Plan Rows"])
        if estimate >= contract.ESTIMATE_THRESHOLD:
            return estimate
    return int(await conn.fetchval(contract.count_sql(where), *args))


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


async def get_member_product(request: Request) -> Response:
    """Scenario b: the session by the token's SHA-256 (unexpired, with its user), then the row."""
    token = contract.bearer(request.headers.get("authorization"))
    try:
        product_id = int(request.path_params["id"])
    except ValueError:
        return _error(422, "invalid id")
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn:
        user = None
        if token is not None:
            digest = hashlib.sha256(token.encode()).hexdigest()
            user = await conn.fetchrow(contract.SESSION_USER, digest, dt.datetime.now(dt.UTC))
        if user is None:
            return _error(401, "unauthenticated")
        row = await conn.fetchrow(contract.PRODUCT_GET, product_id)
    if row is None:
        return _error(404, "not found")
    return _json(
        {"success": True, "data": dict(row), "message": contract.OK_MESSAGE, "status": 200}
    )


def validate_create(body: Any) -> tuple[tuple[object, ...] | None, list[dict[str, str]]]:
    """The six constrained fields checked by hand; returns the insert args or the field errors."""
    if not isinstance(body, dict):
        return None, [{"field": "body"}]
    errors: list[dict[str, str]] = []
    name, description = body.get("name"), body.get("description", "")
    if not isinstance(name, str) or not 1 <= len(name) <= contract.NAME_MAX:
        errors.append({"field": "name"})
    if not isinstance(description, str) or len(description) > contract.DESCRIPTION_MAX:
        errors.append({"field": "description"})
    price = _price(body.get("price"))
    if price is None:
        errors.append({"field": "price"})
    if body.get("category") not in contract.CATEGORY_SET:
        errors.append({"field": "category"})
    if body.get("status") not in contract.STATUSES:
        errors.append({"field": "status"})
    author_id = body.get("author_id")
    if type(author_id) is not int or author_id < 1:
        errors.append({"field": "author_id"})
    if errors:
        return None, errors
    now = dt.datetime.now(dt.UTC)
    return (author_id, name, description, price, body["category"], body["status"], now), []


def _price(raw: object) -> decimal.Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        return None
    try:
        value = decimal.Decimal(str(raw))
    except decimal.InvalidOperation:
        return None
    ok = contract.PRICE_MIN <= value <= contract.PRICE_MAX and value.as_tuple().exponent >= -2  # type: ignore[operator]
    return value if ok else None


async def create_product(request: Request) -> Response:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return _error(400, "bad json")
    args, errors = validate_create(body)
    if args is None:
        return _error(422, "invalid", errors)
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(contract.INSERT_PRODUCT, *args)
    return _json(
        {"success": True, "data": dict(row), "message": contract.OK_MESSAGE, "status": 201}, 201
    )


async def create_mailed_product(request: Request) -> Response:
    """c_outbox: the create of c plus one queued mail, both INSERTs in one transaction."""
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return _error(400, "bad json")
    args, errors = validate_create(body)
    if args is None:
        return _error(422, "invalid", errors)
    subject, text = contract.product_mail(body["name"], body["category"], args[3])
    mail_id = uuid.uuid4()
    mail = (mail_id, contract.MAIL_CONTEXT, _TO_ADDRS, subject, text, args[6])
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(contract.INSERT_PRODUCT, *args)
        await conn.execute(contract.OUTBOX_INSERT, *mail, contract.message_id(mail_id))
    return _json(
        {"success": True, "data": dict(row), "message": contract.OK_MESSAGE, "status": 201}, 201
    )


_TO_ADDRS = orjson.dumps([contract.MAIL_TO]).decode()


def create_app() -> Starlette:
    cfg = BenchConfig.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(cfg.dsn, min_size=POOL_SIZE, max_size=POOL_SIZE)
        yield
        await app.state.pool.close()

    return Starlette(
        routes=[
            Route("/products", list_products, methods=["GET"]),
            Route("/products", create_product, methods=["POST"]),
            Route(contract.MAILED_PRODUCTS, create_mailed_product, methods=["POST"]),
            Route(contract.MEMBER_PRODUCTS + "/{id}", get_member_product, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
