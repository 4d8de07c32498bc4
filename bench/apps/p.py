"""P: FastCRUD's generated list/get/create endpoints on FastAPI over the same ORM models.

The include is FastCRUD's join (``JoinConfig``, nested); soft-deleted rows are hidden by a
read policy. Its envelope is FastCRUD's own, so the harness compares only the rows. Scenario
b is FastCRUD's read endpoint on a second router whose ``read_deps`` look the session up.
"""

import contextlib
import datetime as dt
import hashlib
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException
from fastcrud import FastCRUD, FilterConfig, JoinConfig, crud_router
from fastcrud.core.config.policy_configs import PolicyConfig
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bench import contract
from bench.apps.f import mail_for
from bench.apps.schemas import AuthorRead, ProductCreate, ProductRead, ProductWithAuthor
from bench.config import POOL_SIZE, BenchConfig
from bench.models import AppUser, Author, Product, Session


class MailingCRUD(FastCRUD):  # type: ignore[type-arg]
    """c_outbox: FastCRUD's create with the queued mail added to the same session first, so
    FastCRUD's own commit writes both rows in one transaction."""

    async def create(  # type: ignore[override]
        self, db: AsyncSession, payload: ProductCreate, *args: Any, **kwargs: Any
    ) -> Any:
        db.add(mail_for(payload))
        return await super().create(db, payload, *args, **kwargs)


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

    policy = PolicyConfig(read=[Product.deleted_at.is_(None)], create=True)
    crud = FastCRUD(Product, policy=policy)
    router = crud_router(**_products_router(get_db, crud, "/products"))
    # c_outbox: the same generated create (and read-back) with the mail added.
    mailed = crud_router(
        **_products_router(get_db, MailingCRUD(Product, policy=policy), contract.MAILED_PRODUCTS)
        | {"included_methods": ["create"]}
    )

    async def current_user(
        db: Annotated[AsyncSession, Depends(get_db)],
        authorization: Annotated[str | None, Header()] = None,
    ) -> None:
        token = contract.bearer(authorization)
        found = None
        if token is not None:
            found = await db.scalar(
                select(AppUser.id)
                .join(Session, Session.user_id == AppUser.id)
                .where(
                    Session.token_hash == hashlib.sha256(token.encode()).hexdigest(),
                    Session.expires_at > dt.datetime.now(dt.UTC),
                )
            )
        if found is None:
            raise HTTPException(401)

    members = crud_router(
        session=get_db,
        model=Product,
        crud=crud,
        create_schema=ProductCreate,
        update_schema=ProductCreate,
        select_schema=ProductRead,
        path=contract.MEMBER_PRODUCTS,
        included_methods=["read"],
        read_deps=[current_user],
    )
    app = FastAPI(lifespan=lifespan)
    app.include_router(router)
    app.include_router(mailed)
    app.include_router(members)
    return app


def _products_router(get_db: Any, crud: FastCRUD, path: str) -> dict[str, Any]:  # type: ignore[type-arg]
    """crud_router's arguments for the public products: list, read and create, author joined."""
    return {
        "session": get_db,
        "model": Product,
        "crud": crud,
        "create_schema": ProductCreate,
        "update_schema": ProductCreate,
        "select_schema": ProductWithAuthor,
        "path": path,
        "included_methods": ["create", "read", "read_multi"],
        "filter_config": FilterConfig(category=None, name__ilike=None),
        "joins_config": [
            JoinConfig(
                model=Author,
                join_on=Product.author_id == Author.id,
                join_prefix="author_",
                schema_to_select=AuthorRead,
                join_type="inner",
            )
        ],
    }
