"""Store categories of a product or bundle: checked against live categories, replaced in bulk."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select

from esensi.models.taxonomy import Category
from rlib import FieldError, Scope, ValidationError


async def ensure_live(scope: Scope, category_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """The distinct ids, every one a live category; 422 on ``categories`` otherwise."""
    wanted = list(dict.fromkeys(category_ids))
    if not wanted:
        return wanted
    found = await scope.db.scalar(
        select(func.count())
        .select_from(Category)
        .where(Category.id.in_(wanted), Category.deleted_at.is_(None))
    )
    if found != len(wanted):
        raise ValidationError([FieldError(loc=("body", "categories"), key="catalogue.category")])
    return wanted


async def replace(
    scope: Scope, link: Any, owner_field: str, owner_id: uuid.UUID, category_ids: list[uuid.UUID]
) -> None:
    """Make ``link`` (product_category or bundle_category) hold exactly these categories.

    One DELETE and one multi-row INSERT, whatever the number of categories.
    """
    table = link.__table__
    await scope.db.execute(delete(table).where(table.c[owner_field] == owner_id))
    if category_ids:
        await scope.db.execute(insert(table).values(_rows(owner_field, owner_id, category_ids)))


async def add(
    scope: Scope, link: Any, owner_field: str, owner_id: uuid.UUID, category_ids: list[uuid.UUID]
) -> None:
    """Add categories not linked yet (already linked ones are left as they are)."""
    table = link.__table__
    present = set(
        await scope.db.scalars(
            select(table.c.id_category).where(
                table.c[owner_field] == owner_id, table.c.id_category.in_(category_ids)
            )
        )
    )
    fresh = [category for category in category_ids if category not in present]
    if fresh:
        await scope.db.execute(insert(table).values(_rows(owner_field, owner_id, fresh)))


def _rows(
    owner_field: str, owner_id: uuid.UUID, categories: list[uuid.UUID]
) -> list[dict[str, Any]]:
    # one multi-row VALUES statement (an executemany runs once per row on SQLite)
    return [{owner_field: owner_id, "id_category": category} for category in categories]


async def remove(
    scope: Scope, link: Any, owner_field: str, owner_id: uuid.UUID, category_ids: list[uuid.UUID]
) -> int:
    """Unlink these categories; the number of links removed."""
    table = link.__table__
    result = await scope.db.execute(
        delete(table).where(table.c[owner_field] == owner_id, table.c.id_category.in_(category_ids))
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def of(
    scope: Scope, link: Any, owner_field: str, owner_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Owner id → its live categories (id, name, slug), in one query."""
    table = link.__table__
    rows = await scope.db.execute(
        select(table.c[owner_field].label("owner"), Category.id, Category.name, Category.slug)
        .join(Category, Category.id == table.c.id_category)
        .where(table.c[owner_field].in_(list(owner_ids)), Category.deleted_at.is_(None))
        .order_by(Category.name, Category.id)
    )
    found: dict[uuid.UUID, list[dict[str, Any]]] = {owner: [] for owner in owner_ids}
    for row in rows.mappings():
        found[row["owner"]].append({"id": row["id"], "name": row["name"], "slug": row["slug"]})
    return found
