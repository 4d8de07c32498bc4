"""H-sqlite: hand-written Starlette + aiosqlite + orjson over the embedded database.

The same endpoints and JSON as H; a small pool of aiosqlite connections (WAL lets readers
run beside the single writer). Values are converted the way SQLAlchemy's SQLite types read
them, so the JSON matches O's byte for byte in meaning.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiosqlite
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench import contract
from bench.apps.h import validate_create
from bench.config import POOL_SIZE, BenchConfig

_COLUMNS = "id, author_id, name, description, price, category, status, published_at"


class Pool:
    """A fixed set of connections handed out through a queue."""

    def __init__(self, connections: list[aiosqlite.Connection]) -> None:
        self._all = connections
        self._free: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for conn in connections:
            self._free.put_nowait(conn)

    @contextlib.asynccontextmanager
    async def acquire(self) -> AsyncIterator[aiosqlite.Connection]:
        conn = await self._free.get()
        try:
            yield conn
        finally:
            self._free.put_nowait(conn)

    async def close(self) -> None:
        for conn in self._all:
            await conn.close()


async def _connect(path: str) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        "busy_timeout=5000",
        "synchronous=NORMAL",
    ):
        await conn.execute(f"PRAGMA {pragma}")
    return conn


def _product(row: Any) -> dict[str, object]:
    return {
        "id": row[0],
        "author_id": row[1],
        "name": row[2],
        "description": row[3],
        "price": f"{Decimal(str(row[4])):.2f}",
        "category": row[5],
        "status": row[6],
        "published_at": dt.datetime.fromisoformat(row[7]),
    }


def _json(body: object, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def _where(category: str | None) -> tuple[str, list[object]]:
    if category is None:
        return " WHERE deleted_at IS NULL", []
    return " WHERE deleted_at IS NULL AND category = ?", [category]


async def list_products(request: Request) -> Response:
    q = request.query_params
    try:
        page, limit = int(q.get("page", "1")), int(q.get("limit", str(contract.PAGE_LIMIT)))
    except ValueError:
        return _json({"success": False, "data": None, "message": "invalid", "status": 422}, 422)
    exact = q.get("count", "exact") == "exact"
    where, args = _where(q.get("category"))
    sql = f"SELECT {_COLUMNS} FROM product{where}{contract.ORDER_BY} LIMIT ? OFFSET ?"
    async with request.app.state.pool.acquire() as conn:
        async with conn.execute(
            sql, [*args, limit + (0 if exact else 1), (page - 1) * limit]
        ) as cur:
            fetched = list(await cur.fetchall())
        rows = [_product(r) for r in fetched[:limit]]
        total = None
        if exact:
            async with conn.execute(f"SELECT count(*) FROM product{where}", args) as cur:
                total = (await cur.fetchone())[0]  # type: ignore[index]
        if q.get("include") == "author" and rows:
            ids = list({r["author_id"] for r in rows})
            marks = ", ".join("?" * len(ids))
            async with conn.execute(
                f"SELECT id, name FROM author WHERE id IN ({marks})", ids
            ) as cur:
                authors = {a[0]: {"id": a[0], "name": a[1]} for a in await cur.fetchall()}
            for row in rows:
                row["author"] = authors.get(row["author_id"])
    has_more = None if exact else len(fetched) > limit
    return _json(
        {
            "success": True,
            "data": rows,
            "message": contract.OK_MESSAGE,
            "status": 200,
            "pagination": contract.pagination(page, limit, total, has_more),
        }
    )


_SESSION_USER = (
    "SELECT u.id FROM session s JOIN app_user u ON u.id = s.user_id "
    "WHERE s.token_hash = ? AND s.expires_at > ?"
)
_PRODUCT_GET = f"SELECT {_COLUMNS} FROM product WHERE id = ? AND deleted_at IS NULL"


async def get_member_product(request: Request) -> Response:
    """Scenario b: the session by the token's SHA-256 (unexpired, with its user), then the row."""
    token = contract.bearer(request.headers.get("authorization"))
    try:
        product_id = int(request.path_params["id"])
    except ValueError:
        return _json({"success": False, "message": "invalid id", "status": 422}, 422)
    # The loader writes times in SQLAlchemy's SQLite text form; this compares in that form.
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    async with request.app.state.pool.acquire() as conn:
        user = None
        if token is not None:
            digest = hashlib.sha256(token.encode()).hexdigest()
            async with conn.execute(_SESSION_USER, (digest, now)) as cur:
                user = await cur.fetchone()
        if user is None:
            return _json({"success": False, "message": "unauthenticated", "status": 401}, 401)
        async with conn.execute(_PRODUCT_GET, (product_id,)) as cur:
            row = await cur.fetchone()
    if row is None:
        return _json({"success": False, "message": "not found", "status": 404}, 404)
    body = {"success": True, "data": _product(row), "message": contract.OK_MESSAGE, "status": 200}
    return _json(body)


async def create_product(request: Request) -> Response:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return _json({"success": False, "data": None, "message": "bad json", "status": 400}, 400)
    args, errors = validate_create(body)
    if args is None:
        fail = {"success": False, "data": None, "message": "invalid", "status": 422}
        return _json({**fail, "errors": errors}, 422)
    values = [*args[:3], str(args[3]), args[4], args[5], args[6].strftime("%Y-%m-%d %H:%M:%S.%f")]
    sql = (
        "INSERT INTO product (author_id, name, description, price, category, status, "
        f"published_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}"
    )
    async with request.app.state.pool.acquire() as conn:
        await conn.execute("BEGIN IMMEDIATE")
        try:
            async with conn.execute(sql, values) as cur:
                row = await cur.fetchone()
            await conn.execute("COMMIT")
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
    data = _product(row)
    return _json(
        {"success": True, "data": data, "message": contract.OK_MESSAGE, "status": 201}, 201
    )


def create_app() -> Starlette:
    cfg = BenchConfig.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = Pool([await _connect(cfg.dsn) for _ in range(POOL_SIZE)])
        yield
        await app.state.pool.close()

    return Starlette(
        routes=[
            Route("/products", list_products, methods=["GET"]),
            Route("/products", create_product, methods=["POST"]),
            Route(contract.MEMBER_PRODUCTS + "/{id}", get_member_product, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
