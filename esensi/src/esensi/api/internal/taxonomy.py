"""The taxonomy trees staff maintain: store categories, chapter-site genres and tags."""

from __future__ import annotations

from typing import Any

from esensi.api.internal.audited import audited
from esensi.api.internal.schemas import TaxonCreate
from esensi.models.taxonomy import Category, Genre, Tags
from esensi.services import taxonomy
from rlib import Ctx
from rlib.crud import CrudOptions, crud_handler, op

STAFF = ("internal:sales_and_marketing", "internal:management")  # spec/endpoints.md §5


def _tree_options(model: type[Category | Genre | Tags], name: str, label: str) -> CrudOptions:
    async def parent_exists(ctx: Ctx, data: dict[str, Any]) -> None:
        await taxonomy.ensure_parent(ctx, model, node_id=None, parent_id=data.get("id_parent"))

    async def no_cycle(ctx: Ctx, changes: dict[str, Any], row: dict[str, Any]) -> None:
        await taxonomy.ensure_parent(
            ctx, model, node_id=row["id"], parent_id=changes.get("id_parent")
        )

    return {
        "name": name,
        "url": f"/{name}",
        "resource": label,
        "auth": STAFF,
        "list": {
            "search_fields": ["name", "slug"],
            "filters": {"id_parent": op.eq | op.is_null},
            "include": ["parent"],
            "order_by": ["idx", "name"],
            "sortable": ["name", "idx", "created_at"],
            "label_field": "name",
        },
        "get": {"include": ["parent", "children"]},
        "create": {"schema": TaxonCreate, "before": parent_exists},
        "update": {"schema": TaxonCreate, "before": no_cycle},
        "soft_delete": {"enabled": True},
        "bulk_delete": {"enabled": True},
    }


category = crud_handler(
    Category, audited("category", _tree_options(Category, "category", "resource.category"))
)
genre = crud_handler(Genre, audited("genre", _tree_options(Genre, "genre", "resource.genre")))
tags = crud_handler(Tags, audited("tags", _tree_options(Tags, "tags", "resource.tag")))
