"""A novel resource filtered through its genres and detailed with what includes cannot fetch."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from fixture_apps.library.models import Chapter, Novel
from fixture_apps.library.resources import writer_of
from rlib import Ctx
from rlib.crud import crud_handler, op


async def chapter_count(ctx: Ctx, row: dict[str, Any]) -> None:
    """The detail's extra: how many chapters, counted in SQL."""
    row["chapter_count"] = await ctx.db.scalar(
        select(func.count()).select_from(Chapter).where(Chapter.id_novel == row["id"])
    )


novel_by_genre = crud_handler(
    Novel,
    {
        "name": "novel_by_genre",
        "url": "/novel-by-genre",
        "list": {
            "filters": {"genres.name": op.eq | op.in_, "writer.name": op.eq, "status": op.eq},
            "order_by": ["title"],
        },
        "get": {"include": ["genres"], "after": chapter_count},
        "soft_delete": {"enabled": True},
        "scope": {"field": "id_writer", "value": writer_of},
    },
)
