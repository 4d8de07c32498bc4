"""F: idiomatic FastAPI + SQLAlchemy 2 async ORM: a ``Depends`` session, ``response_model``
with ``from_attributes``, ``selectinload`` for the include. What a user would write instead.
"""

import contextlib
import datetime as dt
import hashlib
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import noload, selectinload

from bench import contract
from bench.apps.schemas import ProductCreate, ProductRead, ProductWithAuthor
from bench.config import POOL_SIZE, BenchConfig
from bench.models import AppUser, Outbox, Product, Session


class Pagination(BaseModel):
    page: int
    limit: int
    total: int | None
    totalPages: int | None
    hasMore: bool | None = None


class ProductPage(BaseModel):
    success: bool
    data: list[ProductWithAuthor]
    message: str
    status: int
    pagination: Pagination


class ProductDetail(BaseModel):
    success: bool
    data: ProductRead
    message: str
    status: int


class ProductCreated(BaseModel):
    success: bool
    data: ProductRead
    message: str
    status: int


def create_app() -> FastAPI:
    cfg = BenchConfig.from_env()
    engine = create_async_engine(cfg.database_url, pool_size=POOL_SIZE, max_overflow=0)
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def get_db() -> AsyncIterator[AsyncSession]:
        async with sessions() as session:
            yield session

    Db = Annotated[AsyncSession, Depends(get_db)]

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.get("/products", response_model=ProductPage, response_model_exclude_none=True)
    async def list_products(
        db: Db,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
        limit: Annotated[int, Query(ge=1, le=contract.MAX_LIMIT)] = contract.PAGE_LIMIT,
        category: str | None = None,
        search: str | None = None,
        include: Literal["author"] | None = None,
        count: Literal["exact", "none"] = "exact",
    ) -> dict[str, object]:
        conditions = [Product.deleted_at.is_(None)]
        if category is not None:
            conditions.append(Product.category == category)
        if search is not None:
            conditions.append(Product.name.ilike(f"%{search}%"))
        total = None
        if count == "exact":
            total = await db.scalar(select(func.count()).select_from(Product).where(*conditions))
        stmt = select(Product).where(*conditions)
        loader = selectinload(Product.author) if include == "author" else noload(Product.author)
        rows = list(
            await db.scalars(
                stmt.options(loader)
                .order_by(Product.published_at.desc(), Product.id.desc())
                .offset((page - 1) * limit)
                .limit(limit + (0 if total is not None else 1))
            )
        )
        has_more = None if total is not None else len(rows) > limit
        return {
            "success": True,
            "data": rows[:limit],
            "message": contract.OK_MESSAGE,
            "status": 200,
            "pagination": contract.pagination(page, limit, total, has_more),
        }

    @app.post("/products", response_model=ProductCreated, status_code=201)
    async def create_product(payload: ProductCreate, db: Db) -> dict[str, object]:
        product = Product(**payload.model_dump())
        db.add(product)
        await db.commit()
        return {"success": True, "data": product, "message": contract.OK_MESSAGE, "status": 201}

    @app.post(contract.MAILED_PRODUCTS, response_model=ProductCreated, status_code=201)
    async def create_mailed_product(payload: ProductCreate, db: Db) -> dict[str, object]:
        """c_outbox: the product and its queued mail, flushed together in one commit."""
        product = Product(**payload.model_dump())
        db.add(product)
        db.add(mail_for(payload))
        await db.commit()
        return {"success": True, "data": product, "message": contract.OK_MESSAGE, "status": 201}

    _member_route(app, get_db)
    return app


def mail_for(payload: ProductCreate) -> Outbox:
    """The outbox row rlib's send_email would write for this product (F and P add it)."""
    subject, text = contract.product_mail(payload.name, payload.category, payload.price)
    now = dt.datetime.now(dt.UTC)
    mail_id = uuid.uuid4()
    return Outbox(
        id=mail_id,
        context=contract.MAIL_CONTEXT,
        to_addrs=[contract.MAIL_TO],
        subject=subject,
        text=text,
        locale="id",
        status="queued",
        attempts=0,
        next_attempt_at=now,
        message_id=contract.message_id(mail_id),
        created_at=now,
        updated_at=now,
    )


def _member_route(app: FastAPI, get_db: Callable[[], AsyncIterator[AsyncSession]]) -> None:
    """Scenario b: a ``Depends`` looking the session up, then the product by id."""
    Db = Annotated[AsyncSession, Depends(get_db)]

    async def current_user(
        db: Db, authorization: Annotated[str | None, Header()] = None
    ) -> AppUser:
        token = contract.bearer(authorization)
        if token is None:
            raise HTTPException(401)
        user = await db.scalar(
            select(AppUser)
            .join(Session, Session.user_id == AppUser.id)
            .where(
                Session.token_hash == hashlib.sha256(token.encode()).hexdigest(),
                Session.expires_at > dt.datetime.now(dt.UTC),
            )
        )
        if user is None:
            raise HTTPException(401)
        return user

    @app.get(contract.MEMBER_PRODUCTS + "/{product_id}", response_model=ProductDetail)
    async def get_member_product(
        product_id: int, db: Db, _: Annotated[AppUser, Depends(current_user)]
    ) -> dict[str, object]:
        product = await db.scalar(
            select(Product)
            .options(noload(Product.author))
            .where(Product.id == product_id, Product.deleted_at.is_(None))
        )
        if product is None:
            raise HTTPException(404)
        return {"success": True, "data": product, "message": contract.OK_MESSAGE, "status": 200}
