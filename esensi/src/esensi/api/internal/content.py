"""Store content in the back office: banners, landing pages and the blocks of a landing page.

Sales and marketing and management keep them (spec/endpoints.md §5); every write is audited.
A landing page's blocks live at ``landing/items`` (``landing_items``), each naming its page in
``id_landing``; the page's detail includes them, in order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from esensi.api.internal.audited import audited
from esensi.api.internal.catalog_schemas import (
    BannerCreate,
    LandingCreate,
    LandingItemCreate,
    LandingItemUpdate,
)
from esensi.models.cms import Banner, Landing, LandingItems
from rlib import Ctx, FieldError, ValidationError
from rlib.crud import crud_handler, op

MERCHANTS = ("internal:sales_and_marketing", "internal:management")  # spec/endpoints.md §5


async def _live_landing(ctx: Ctx, data: dict[str, Any]) -> None:
    found = await ctx.db.scalar(
        select(Landing.id).where(Landing.id == data["id_landing"], Landing.deleted_at.is_(None))
    )
    if found is None:
        raise ValidationError([FieldError(loc=("body", "id_landing"), key="error.db_foreign_key")])


banner = crud_handler(
    Banner,
    audited(
        "banner",
        {
            "name": "banner",
            "url": "/banner",
            "resource": "resource.banner",
            "auth": MERCHANTS,
            "list": {
                "search_fields": ["title", "link"],
                "filters": {"title": op.eq | op.in_, "status": op.eq},
                "order_by": ["title", "idx"],
                "sortable": ["title", "idx", "created_at", "updated_at"],
                "label_field": "title",
            },
            "create": {"schema": BannerCreate},
            "update": {"schema": BannerCreate},
            "soft_delete": {"enabled": True},
            "bulk_delete": {"enabled": True},
        },
    ),
)

landing = crud_handler(
    Landing,
    audited(
        "landing",
        {
            "name": "landing",
            "url": "/landing",
            "resource": "resource.landing",
            "auth": MERCHANTS,
            "list": {
                "search_fields": ["title", "slug"],
                "filters": {"status": op.eq},
                "order_by": ["-created_at"],
                "sortable": ["title", "slug", "created_at", "views"],
                "label_field": "title",
            },
            "get": {"include": ["items"]},
            "create": {"schema": LandingCreate},
            "update": {"schema": LandingCreate},
            "soft_delete": {"enabled": True},
        },
    ),
)

landing_items = crud_handler(
    LandingItems,
    audited(
        "landing_items",
        {
            "name": "landing_items",
            "url": "/landing/items",
            "resource": "resource.landing_item",
            "auth": MERCHANTS,
            "list": {
                "search_fields": ["tag", "link_to"],
                "filters": {"id_landing": op.eq},
                "order_by": ["id_landing", "idx"],
                "sortable": ["idx", "created_at"],
            },
            "create": {"schema": LandingItemCreate, "before": _live_landing},
            "update": {"schema": LandingItemUpdate},
        },
    ),
)
