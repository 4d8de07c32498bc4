"""What the store's pages read: published, live products and bundles as list or detail rows.

Every query names its columns (no entity loads, no eager includes) and each include is one
statement, so a page costs a fixed number of statements whatever its size.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    Subquery,
    bindparam,
    func,
    literal,
    not_,
    select,
    union_all,
)
from sqlalchemy.engine import RowMapping

from esensi.models.author import Author
from esensi.models.bundle import Bundle, BundleCategory, BundleProduct
from esensi.models.enums import BundleStatus, ProductStatus
from esensi.models.product import Product, ProductCategory
from esensi.models.taxonomy import Category
from esensi.services.catalog import Listing
from esensi.services.fast_reads import READS, Row, any_of, by_dialect
from rlib import Scope

RELATED_LIMIT = 10
# A select of several columns, whatever their types.
Columns = Select[*tuple[Any, ...]]


def live_product() -> tuple[ColumnElement[bool], ...]:
    """A product the store may show: published and not deleted."""
    return (Product.status == ProductStatus.PUBLISHED, Product.deleted_at.is_(None))


def live_bundle() -> tuple[ColumnElement[bool], ...]:
    """A bundle the store may show: published and not deleted."""
    return (Bundle.status == BundleStatus.PUBLISHED, Bundle.deleted_at.is_(None))


def product_cards() -> Columns:
    """The list columns of a product, with its author's id and name (one join)."""
    return select(
        Product.id,
        Product.name,
        Product.slug,
        Product.cover,
        Product.currency,
        Product.real_price,
        Product.strike_price,
        Product.content_type,
        Product.published_date,
        Author.id.label("author_id"),
        Author.name.label("author_name"),
    ).join(Author, Author.id == Product.id_author)


def bundle_cards() -> Columns:
    """The list columns of a bundle."""
    return select(
        Bundle.id,
        Bundle.name,
        Bundle.slug,
        Bundle.cover,
        Bundle.real_price,
        Bundle.strike_price,
    )


def _newest_products() -> tuple[Any, ...]:
    # Matches the partial index (status, created_at) WHERE deleted_at IS NULL.
    return (Product.created_at.desc(), Product.id)


async def _page(
    scope: Scope, where: Sequence[ColumnElement[bool]], *, page: int, limit: int
) -> Listing:
    total = await scope.db.scalar(select(func.count()).select_from(Product).where(*where))
    rows = await scope.db.execute(
        product_cards()
        .where(*where)
        .order_by(*_newest_products())
        .offset((page - 1) * limit)
        .limit(limit)
    )
    return Listing(rows=rows.mappings().all(), total=total or 0)


# Built once like the product page's statements (benchmark scenario f).
_BROWSE_COUNT: Columns = (
    select(func.count().label("total")).select_from(Product).where(*live_product())
)
_BROWSE_ROWS: Columns = (
    product_cards()
    .where(*live_product())
    .order_by(*_newest_products())
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)


async def browse(scope: Scope, *, page: int, limit: int) -> Listing:
    """Live products, newest first: one count and one page."""
    total = await READS.scalar(scope, _BROWSE_COUNT, {})
    rows = await READS.rows(scope, _BROWSE_ROWS, {"offset": (page - 1) * limit, "limit": limit})
    return Listing(rows=rows, total=total or 0)


def _in_categories(category_ids: Sequence[uuid.UUID]) -> ColumnElement[bool]:
    filed = select(ProductCategory.id_product).where(ProductCategory.id_category.in_(category_ids))
    return Product.id.in_(filed)


async def in_categories(
    scope: Scope, category_ids: Sequence[uuid.UUID], *, page: int, limit: int
) -> Listing:
    """Live products filed under any of ``category_ids``, newest first."""
    where = (*live_product(), _in_categories(category_ids))
    return await _page(scope, where, page=page, limit=limit)


async def latest(
    scope: Scope, *, limit: int, category_ids: Sequence[uuid.UUID] | None = None
) -> Sequence[RowMapping]:
    """The newest live products, optionally only those under ``category_ids``."""
    where = live_product()
    if category_ids is not None:
        where = (*where, _in_categories(category_ids))
    rows = await scope.db.execute(
        product_cards().where(*where).order_by(*_newest_products()).limit(limit)
    )
    return rows.mappings().all()


async def by_slugs(scope: Scope, slugs: Sequence[str]) -> list[RowMapping]:
    """Live products with these slugs, in the order of ``slugs`` (unknown ones left out)."""
    if not slugs:
        return []
    rows = await scope.db.execute(product_cards().where(*live_product(), Product.slug.in_(slugs)))
    by_slug = {row["slug"]: row for row in rows.mappings()}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


async def recent_bundles(scope: Scope, *, limit: int) -> Sequence[RowMapping]:
    """The newest live bundles."""
    rows = await scope.db.execute(
        bundle_cards()
        .where(*live_bundle())
        .order_by(Bundle.created_at.desc(), Bundle.id)
        .limit(limit)
    )
    return rows.mappings().all()


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's wildcards in ``text`` taken literally (escape character ``\\``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search_union() -> Subquery:
    # ILIKE '%q%' is what pg_trgm's GIN index (<table>_name_trgm) serves on PostgreSQL.
    pattern = bindparam("pattern", type_=String)
    products = select(
        literal("product").label("kind"),
        Product.id,
        Product.name,
        Product.slug,
        Product.cover,
        Product.real_price,
        Product.strike_price,
        Product.created_at,
    ).where(*live_product(), Product.name.ilike(pattern, escape="\\"))
    bundles = select(
        literal("bundle").label("kind"),
        Bundle.id,
        Bundle.name,
        Bundle.slug,
        Bundle.cover,
        Bundle.real_price,
        Bundle.strike_price,
        Bundle.created_at,
    ).where(*live_bundle(), Bundle.name.ilike(pattern, escape="\\"))
    return union_all(products, bundles).subquery("found")


# Built once, the pattern and page bound per call, run on the compiled fast path (scenario f).
_FOUND = _search_union()
_SEARCH_COUNT: Columns = select(func.count().label("total")).select_from(_FOUND)
_SEARCH_ROWS: Columns = (
    select(
        _FOUND.c.kind,
        _FOUND.c.id,
        _FOUND.c.name,
        _FOUND.c.slug,
        _FOUND.c.cover,
        _FOUND.c.real_price,
        _FOUND.c.strike_price,
    )
    .order_by(_FOUND.c.created_at.desc(), _FOUND.c.id)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)


async def search(scope: Scope, text: str, *, page: int, limit: int) -> Listing:
    """Live products and bundles whose name contains ``text``, newest first, one count."""
    pattern = like_pattern(text)
    total = await READS.scalar(scope, _SEARCH_COUNT, {"pattern": pattern})
    params = {"pattern": pattern, "offset": (page - 1) * limit, "limit": limit}
    rows = await READS.rows(scope, _SEARCH_ROWS, params)
    return Listing(rows=rows, total=total or 0)


# The product page's statements are built once, with their values as bound parameters:
# composing them per request was about a third of the page's CPU (benchmark scenario f).
_DETAIL: Columns = (
    select(
        Product.id,
        Product.name,
        Product.slug,
        Product.alias,
        Product.desc,
        Product.info,
        Product.img_file,
        Product.cover,
        Product.currency,
        Product.real_price,
        Product.strike_price,
        Product.content_type,
        Product.is_chapter,
        Product.is_physical,
        Product.published_date,
        Author.id.label("author_id"),
        Author.name.label("author_name"),
        Author.avatar.label("author_avatar"),
    )
    .join(Author, Author.id == Product.id_author)
    .where(*live_product(), Product.slug == bindparam("slug"))
    .limit(1)
)


async def product_detail(scope: Scope, slug: str) -> Row | None:
    """A live product by slug with its own author (id, name, avatar), or None."""
    rows = await READS.rows(scope, _DETAIL, {"slug": slug})
    return rows[0] if rows else None


def _category_columns() -> Columns:
    return select(Category.id, Category.name, Category.slug).where(Category.deleted_at.is_(None))


_CATEGORIES: Columns = (
    _category_columns()
    .join(ProductCategory, ProductCategory.id_category == Category.id)
    .where(ProductCategory.id_product == bindparam("product_id"))
    .order_by(Category.name, Category.id)
)


async def product_categories(scope: Scope, product_id: uuid.UUID) -> list[Row]:
    """The live categories a product is filed under, by name."""
    return await READS.rows(scope, _CATEGORIES, {"product_id": product_id})


def _related(dialect: str) -> Columns:
    # Lists bound per call: one array parameter each on PostgreSQL, expanding INs elsewhere.
    filed = select(ProductCategory.id_product).where(
        any_of(ProductCategory.id_category, "category_ids", dialect)
    )
    return (
        product_cards()
        .where(
            *live_product(),
            Product.id.in_(filed),
            not_(any_of(Product.id, "exclude", dialect)),
        )
        .order_by(*_newest_products())
        .limit(RELATED_LIMIT)
    )


_RELATED = {"postgresql": _related("postgresql"), "default": _related("")}


async def related_products(
    scope: Scope, category_ids: Sequence[uuid.UUID], *, exclude: Sequence[uuid.UUID]
) -> list[Row]:
    """Up to ten live products sharing one of ``category_ids``, newest first, minus ``exclude``."""
    if not category_ids:
        return []
    params = {"category_ids": list(category_ids), "exclude": list(exclude)}
    return await READS.rows(scope, by_dialect(scope, _RELATED), params)


async def bundle_detail(scope: Scope, slug: str) -> RowMapping | None:
    """A live bundle by slug with its author (id, name), or None."""
    rows = await scope.db.execute(
        select(
            Bundle.id,
            Bundle.name,
            Bundle.slug,
            Bundle.desc,
            Bundle.info,
            Bundle.img_file,
            Bundle.cover,
            Bundle.currency,
            Bundle.real_price,
            Bundle.strike_price,
            Author.id.label("author_id"),
            Author.name.label("author_name"),
            Author.avatar.label("author_avatar"),
        )
        .join(Author, Author.id == Bundle.id_author)
        .where(*live_bundle(), Bundle.slug == slug)
    )
    return rows.mappings().first()


async def bundle_products(scope: Scope, bundle_id: uuid.UUID) -> Sequence[RowMapping]:
    """The live products of a bundle, with their quantity in it, by name."""
    rows = await scope.db.execute(
        product_cards()
        .add_columns(BundleProduct.qty)
        .join(BundleProduct, BundleProduct.id_product == Product.id)
        .where(BundleProduct.id_bundle == bundle_id, *live_product())
        .order_by(Product.name, Product.id)
    )
    return rows.mappings().all()


async def bundle_categories(scope: Scope, bundle_id: uuid.UUID) -> Sequence[RowMapping]:
    """The live categories a bundle is filed under, by name."""
    rows = await scope.db.execute(
        _category_columns()
        .join(BundleCategory, BundleCategory.id_category == Category.id)
        .where(BundleCategory.id_bundle == bundle_id)
        .order_by(Category.name, Category.id)
    )
    return rows.mappings().all()
