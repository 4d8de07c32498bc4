"""F for scenario (f): idiomatic FastAPI + SQLAlchemy 2 async ORM for browse and product: a
``Depends`` session, ``selectinload`` for the author and categories, pydantic
``response_model`` with ``from_attributes``. What a user would write instead."""

import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, FastAPI, HTTPException, Path
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import selectinload

from bench.store.config import POOL_SIZE, StoreConfig
from bench.store.f_models import Category, Product

BROWSE_SIZE = 24
T = TypeVar("T")


class Orm(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class AuthorRef(Orm):
    id: uuid.UUID
    name: str
    avatar: str | None


class CategoryRef(Orm):
    id: uuid.UUID
    name: str
    slug: str


class ProductCard(Orm):
    id: uuid.UUID
    name: str
    slug: str
    cover: str | None
    currency: str
    real_price: Decimal
    strike_price: Decimal | None
    content_type: str
    published_date: dt.datetime | None
    author_id: uuid.UUID
    author_name: str


class ProductPage(Orm):
    id: uuid.UUID
    name: str
    slug: str
    alias: str | None
    desc: str | None
    info: dict[str, Any] | None
    img_file: list[str]
    cover: str | None
    currency: str
    real_price: Decimal
    strike_price: Decimal | None
    content_type: str
    is_chapter: bool
    is_physical: bool
    published_date: dt.datetime | None
    author: AuthorRef
    categories: list[CategoryRef]
    related: list[ProductCard]


class Pagination(BaseModel):
    page: int
    limit: int
    total: int
    totalPages: int


class Envelope(BaseModel, Generic[T]):
    success: bool = True
    data: T
    message: str = "Berhasil"
    status: int = 200


class PageEnvelope(Envelope[T]):
    pagination: Pagination


def _live() -> tuple[Any, ...]:
    return (Product.status == "published", Product.deleted_at.is_(None))


def create_app() -> FastAPI:
    cfg = StoreConfig.from_env()
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

    @app.get("/browse/{page}", response_model=PageEnvelope[list[ProductCard]])
    async def browse(db: Db, page: Annotated[int, Path(ge=1, le=100_000)]) -> Any:
        total = await db.scalar(select(func.count()).select_from(Product).where(*_live()))
        products = await db.scalars(
            select(Product)
            .options(selectinload(Product.author))
            .where(*_live())
            .order_by(Product.created_at.desc(), Product.id)
            .offset((page - 1) * BROWSE_SIZE)
            .limit(BROWSE_SIZE)
        )
        return {
            "data": products.all(),
            "pagination": {
                "page": page,
                "limit": BROWSE_SIZE,
                "total": total,
                "totalPages": -(-(total or 0) // BROWSE_SIZE),
            },
        }

    @app.get("/product/{slug}", response_model=Envelope[ProductPage])
    async def product(db: Db, slug: Annotated[str, Path(min_length=1, max_length=255)]) -> Any:
        found = await db.scalar(
            select(Product)
            .options(selectinload(Product.author), selectinload(Product.categories))
            .where(*_live(), Product.slug == slug)
        )
        if found is None:
            raise HTTPException(404)
        categories = [c for c in found.categories if c.deleted_at is None]
        related = []
        if categories:
            ids = [c.id for c in categories]
            related = list(
                await db.scalars(
                    select(Product)
                    .options(selectinload(Product.author))
                    .where(
                        *_live(),
                        Product.categories.any(Category.id.in_(ids)),
                        Product.id != found.id,
                    )
                    .order_by(Product.created_at.desc(), Product.id)
                    .limit(10)
                )
            )
        page = _page_of(found, categories, related)
        return {"data": page}

    return app


def _page_of(found: Product, categories: list[Category], related: list[Product]) -> ProductPage:
    fields = {name: getattr(found, name, None) for name in ProductPage.model_fields}
    fields["categories"] = categories
    fields["related"] = related
    return ProductPage.model_validate(fields)
