"""O's endpoints, written with plain ``define_api`` and SQLAlchemy Core.

This is roughly what ``rlib.crud.crud_handler`` does: one validated query model, a Core
statement built once per query shape (filters present, count strategy) and cached, row
mappings straight to orjson, one batched ``= ANY`` query per include. Replacing the two
handlers below with ``crud_handler(...)`` declarations is the only change the crud handler
needs here.
"""

from __future__ import annotations

import functools
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Integer, Select, any_, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY

from bench import contract
from bench.apps.schemas import ProductCreate, ProductRead
from bench.models import Author, Product
from rlib import Ctx, Page, define_api

_product = Product.__table__
_author = Author.__table__
_COLUMNS = [
    _product.c.id,
    _product.c.author_id,
    _product.c.name,
    _product.c.description,
    _product.c.price,
    _product.c.category,
    _product.c.status,
    _product.c.published_at,
]


class ProductQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: Annotated[int, Field(ge=1, le=10_000)] = 1
    limit: Annotated[int, Field(ge=1, le=contract.MAX_LIMIT)] = contract.PAGE_LIMIT
    category: Annotated[str | None, Field(max_length=40)] = None
    search: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    include: Literal["author"] | None = None
    count: Literal["exact", "none"] = "exact"


@functools.cache
def _list_statements(
    has_category: bool, has_search: bool
) -> tuple[Select[tuple[object, ...]], Select[tuple[int]]]:
    conditions = [_product.c.deleted_at.is_(None)]
    if has_category:
        conditions.append(_product.c.category == bindparam("category"))
    if has_search:
        conditions.append(_product.c.name.ilike(bindparam("search")))
    rows = (
        select(*_COLUMNS)
        .where(*conditions)
        .order_by(_product.c.published_at.desc(), _product.c.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    count = select(func.count()).select_from(_product).where(*conditions)
    return rows, count


_AUTHORS_BY_DIALECT = {
    # One statement for any number of ids on PostgreSQL; SQLite has no arrays.
    "postgresql": select(_author.c.id, _author.c.name).where(
        _author.c.id == any_(bindparam("ids", type_=ARRAY(Integer)))
    ),
    "sqlite": select(_author.c.id, _author.c.name).where(
        _author.c.id.in_(bindparam("ids", expanding=True))
    ),
}


@define_api(
    name="product_list", url="/products", methods=("GET",), auth="public", validate_output=False
)
async def product_list(ctx: Ctx, payload: ProductQuery) -> Page[ProductRead]:
    """A page of live products, newest first, optionally filtered, searched, with the author."""
    rows_sql, count_sql = _list_statements(payload.category is not None, payload.search is not None)
    exact = payload.count == "exact"
    params: dict[str, object] = {
        "category": payload.category,
        "search": f"%{payload.search}%",
        "limit": payload.limit + (0 if exact else 1),
        "offset": (payload.page - 1) * payload.limit,
    }
    fetched = (await ctx.db.execute(rows_sql, params)).mappings().all()
    rows = [dict(row) for row in fetched[: payload.limit]]
    total = (await ctx.db.execute(count_sql, params)).scalar_one() if exact else None
    if payload.include == "author" and rows:
        ids = list({row["author_id"] for row in rows})
        statement = _AUTHORS_BY_DIALECT[ctx.db.get_bind().dialect.name]
        result = await ctx.db.execute(statement, {"ids": ids})
        authors = {author["id"]: dict(author) for author in result.mappings()}
        for row in rows:
            row["author"] = authors.get(row["author_id"])
    return Page(
        items=rows,  # type: ignore[arg-type]  # row mappings stand in for ProductRead, unvalidated
        page=payload.page,
        limit=payload.limit,
        total=total,
        has_more=None if exact else len(fetched) > payload.limit,
    )


_INSERT = insert(_product).returning(*_COLUMNS)


@define_api(
    name="product_create", url="/products", methods=("POST",), auth="public", validate_output=False
)
async def product_create(ctx: Ctx, payload: ProductCreate) -> ProductRead:
    """Create a product and return it (201)."""
    result = await ctx.db.execute(_INSERT, payload.model_dump())
    ctx.status_code = 201
    return dict(result.mappings().one())  # type: ignore[return-value]  # returned columns only
