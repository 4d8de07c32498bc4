"""Products in the back office: sales and marketing and management keep them, any staff may
list them (spec/endpoints.md §5: ``product`` and ``product_list``). Every write is audited."""

from __future__ import annotations

from typing import Any

from esensi.api.internal.audited import audited
from esensi.api.internal.catalog_schemas import ProductCreate, ProductUpdate
from esensi.models.enums import ProductStatus
from esensi.models.product import Product
from esensi.services import merchandise
from rlib import Ctx
from rlib.crud import crud_handler, op
from rlib.db.base import utcnow
from rlib.errors import DeleteBlockedError

MERCHANTS = ("internal:sales_and_marketing", "internal:management")  # spec/endpoints.md §5
ANY_STAFF = "internal"


async def _new_product(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    await merchandise.ensure_author(ctx, data["id_author"])
    if data.get("id_publisher") is not None:
        await merchandise.ensure_publisher_of(ctx, data["id_publisher"], data["id_author"])
    if data.get("status") == ProductStatus.PUBLISHED:
        data["published_date"] = utcnow()
    return data


async def _product_change(ctx: Ctx, changes: dict[str, Any], row: dict[str, Any]) -> None:
    target = changes.get("status")
    if target is None or target == row["status"]:
        return
    merchandise.check_product_move(row["status"], target)
    if target == ProductStatus.PUBLISHED and row["published_date"] is None:
        changes["published_date"] = utcnow()
    if target in merchandise.OFF_SALE:
        await merchandise.pause_bundles_holding(
            ctx, product_id=row["id"], product_name=row["name"], author_id=row["id_author"]
        )


async def _unsold(ctx: Ctx, row: dict[str, Any]) -> None:
    if await merchandise.has_sales(ctx, product_id=row["id"]):
        raise DeleteBlockedError(relation="t_sales_line")


product = crud_handler(
    Product,
    audited(
        "product",
        {
            "name": "product",
            "url": "/product",
            "resource": "resource.product",
            "auth": MERCHANTS,
            "action_auth": {"list": ANY_STAFF},
            "list": {
                "search_fields": ["name", "desc", "sku"],
                "filters": {
                    "status": op.eq | op.in_,
                    "id_author": op.eq | op.in_,
                    "id_publisher": op.eq | op.is_null,
                    "is_chapter": op.eq,
                    "content_type": op.eq,
                },
                "include": {"author": ["id", "name"]},
                "order_by": ["-created_at"],
                "sortable": ["name", "created_at", "real_price", "published_date", "updated_at"],
                "label_field": "name",
            },
            "get": {
                "include": {
                    "author": ["id", "name"],
                    "publisher": ["id", "name"],
                    "categories": ["id", "name", "slug"],
                }
            },
            "create": {"schema": ProductCreate, "before": _new_product},
            "update": {"schema": ProductUpdate, "before": _product_change},
            "delete": {"before": _unsold},
            "soft_delete": {"enabled": True},
        },
    ),
)
