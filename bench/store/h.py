"""H for scenario (f): Starlette + asyncpg + orjson, the esensi pages' SQL written by hand.

It answers the four pages with the envelope, ETag and Cache-Control esensi sends (the same
bytes of JSON once parsed); it validates no more than the path needs.
"""

from __future__ import annotations

import contextlib
import decimal
import hashlib
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.store import sql
from bench.store.config import POOL_SIZE, StoreConfig

_OPTIONS = orjson.OPT_UTC_Z
BROWSE_SIZE = 24
PAGE_SIZE = 20
MAX_PAGE = 100_000
PUBLIC = "public, max-age=0, s-maxage=60"


def _default(value: object) -> object:
    if isinstance(value, decimal.Decimal | uuid.UUID):  # asyncpg's UUID is not orjson's
        return str(value)
    raise TypeError


def _answer(data: object, pagination: Mapping[str, object] | None = None) -> Response:
    body: dict[str, object] = {"success": True, "data": data, "message": "Berhasil", "status": 200}
    if pagination is not None:
        body["pagination"] = pagination
    raw = orjson.dumps(body, default=_default, option=_OPTIONS)
    etag = '"' + hashlib.blake2b(raw, digest_size=16).hexdigest() + '"'
    return Response(
        raw,
        media_type="application/json",
        headers={"etag": etag, "cache-control": PUBLIC},
    )


def _missing(message: str) -> Response:
    body = {"success": False, "data": None, "message": message, "status": 404}
    return Response(orjson.dumps(body), status_code=404, media_type="application/json")


def _page(rows: list[Any], page: int, limit: int, total: int) -> Response:
    pages = -(-total // limit)
    return _answer(
        [dict(row) for row in rows],
        {"page": page, "limit": limit, "total": total, "totalPages": pages},
    )


def _page_number(request: Request) -> int | None:
    page = int(request.path_params["page"])
    return page if 1 <= page <= MAX_PAGE else None


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


async def browse(request: Request) -> Response:
    page = _page_number(request)
    if page is None:
        return _missing("page")
    async with _pool(request).acquire() as conn, conn.transaction(readonly=True):
        total = await conn.fetchval(sql.BROWSE_COUNT)
        rows = await conn.fetch(sql.BROWSE_ROWS, BROWSE_SIZE, (page - 1) * BROWSE_SIZE)
    return _page(rows, page, BROWSE_SIZE, total)


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search(request: Request) -> Response:
    page = _page_number(request)
    text = request.path_params["text"].strip()
    if page is None or not 1 <= len(text) <= 100:
        return _missing("search")
    pattern = like_pattern(text)
    async with _pool(request).acquire() as conn, conn.transaction(readonly=True):
        total = await conn.fetchval(sql.SEARCH_COUNT, pattern)
        rows = await conn.fetch(sql.SEARCH_ROWS, pattern, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return _page(rows, page, PAGE_SIZE, total)


async def product(request: Request) -> Response:
    async with _pool(request).acquire() as conn, conn.transaction(readonly=True):
        found = await conn.fetchrow(sql.PRODUCT, request.path_params["slug"])
        if found is None:
            return _missing("product")
        categories = await conn.fetch(sql.PRODUCT_CATEGORIES, found["id"])
        related = (
            await conn.fetch(sql.RELATED, [c["id"] for c in categories], found["id"])
            if categories
            else []
        )
    data = dict(found)
    data["author"] = {
        "id": data.pop("author_id"),
        "name": data.pop("author_name"),
        "avatar": data.pop("author_avatar"),
    }
    data["categories"] = [dict(row) for row in categories]
    data["related"] = [dict(row) for row in related]
    return _answer(data)


_BOOK = ("id", "name", "slug", "alias", "desc", "cover", "published_date", "content_type")


def _prefixed(row: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    return {key[len(prefix) :]: value for key, value in row.items() if key.startswith(prefix)}


def _review(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "liked": False, "replies": []}


async def title(request: Request) -> Response:
    async with _pool(request).acquire() as conn, conn.transaction(readonly=True):
        book = await conn.fetchrow(sql.TITLE_BOOK, request.path_params["slug"])
        if book is None:
            return _missing("book")
        book_id = book["id"]
        total = await conn.fetchval(sql.REVIEW_COUNT, book_id)
        reviews = [_review(row) for row in await conn.fetch(sql.REVIEW_TOPS, book_id)]
        if reviews:
            by_id = {item["id"]: item for item in reviews}
            for row in await conn.fetch(sql.REVIEW_REPLIES, list(by_id)):
                by_id[row["parent"]]["replies"].append(_review(row))
        average, count = await conn.fetchrow(sql.RATING, book_id)
        genres = await conn.fetch(sql.GENRES, book_id)
        tags = await conn.fetch(sql.TAGS, book_id)
        chapters = await conn.fetch(sql.CHAPTERS, book_id)
    row = dict(book)
    author = _prefixed(row, "author_")
    author["following"] = False
    offer = _prefixed(row, "product_")
    data = {
        "book": {key: row[key] for key in _BOOK},
        "genres": [dict(r) for r in genres],
        "tags": [dict(r) for r in tags],
        "author": author,
        "offer": None if offer["id"] is None else offer,
        "entitled": False,  # an anonymous reader owns nothing
        "chapters": [dict(r) for r in chapters],
        "rating": {
            "average": None if average is None else round(float(average), 2),
            "count": count,
        },
        "reviews": reviews,
        "reviews_total": total,
    }
    return _answer(data)


async def _init(conn: asyncpg.Connection) -> None:
    # jsonb arrives as text; the info and img_file columns go out as JSON, not strings.
    await conn.set_type_codec(
        "jsonb",
        encoder=lambda v: orjson.dumps(v).decode(),
        decoder=orjson.loads,
        schema="pg_catalog",
    )


def create_app() -> Starlette:
    cfg = StoreConfig.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(
            cfg.dsn, min_size=POOL_SIZE, max_size=POOL_SIZE, init=_init
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    return Starlette(
        routes=[
            Route("/browse/{page:int}", browse),
            Route("/search/{text}/{page:int}", search),
            Route("/product/{slug}", product),
            Route("/chapter/title/{slug}", title),
        ],
        lifespan=lifespan,
    )
