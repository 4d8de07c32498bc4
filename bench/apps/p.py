"""P: FastCRUD's generated list/get/create endpoints on FastAPI over the same ORM models.

The include is FastCRUD's join (``JoinConfig``, nested); soft-deleted rows are hidden by a
read policy. Its envelope is FastCRUD's own, so the harness compares only the rows.
"""

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastcrud import FastCRUD, FilterConfig, JoinConfig, crud_router
from fastcrud.core.config.policy_configs import PolicyConfig
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bench.apps.schemas import AuthorRead, ProductCreate, ProductWithAuthor
from bench.config import POOL_SIZE, BenchConfig
from bench.models import Author, Product


def create_app() -> FastAPI:
    cfg = BenchConfig.from_env()
    engine = create_async_engine(cfg.database_url, pool_size=POOL_SIZE, max_overflow=0)
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def get_db() -> AsyncIterator[AsyncSession]:
        async with sessions() as session:
            yield session

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    crud = FastCRUD(Product, policy=PolicyConfig(read=[Product.deleted_at.is_(None)], create=True))
    router = crud_router(
        session=get_db,
        model=Product,
        crud=crud,
        create_schema=ProductCreate,
        update_schema=ProductCreate,
        select_schema=ProductWithAuthor,
        path="/products",
        included_methods=["create", "read", "read_multi"],
        filter_config=FilterConfig(category=None, name__ilike=None),
        joins_config=[
            JoinConfig(
                model=Author,
                join_on=Product.author_id == Author.id,
                join_prefix="author_",
                schema_to_select=AuthorRead,
                join_type="inner",
            )
        ],
    )
    app = FastAPI(lifespan=lifespan)
    app.include_router(router)
    return app
