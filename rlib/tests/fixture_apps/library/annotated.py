"""A writer resource whose get adds a computed field (``get.after``), for the engine's tests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from fixture_apps.library.models import Novel, Writer
from rlib import Ctx
from rlib.crud import crud_handler


async def novel_count(ctx: Ctx, row: dict[str, Any]) -> None:
    found = await ctx.db.scalar(
        select(func.count()).select_from(Novel).where(Novel.id_writer == row["id"])
    )
    row["novels"] = found or 0


writer_counted = crud_handler(
    Writer,
    {
        "name": "writer_counted",
        "url": "/writer-counted",
        "auth": ("staff",),
        "list": {"order_by": ["name"]},
        "get": {"after": novel_count},
    },
)
