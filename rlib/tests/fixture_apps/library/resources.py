"""CRUD declarations over the library models."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from fixture_apps.library.models import Chapter, Genre, Novel, Shelf, Specimen, Writer
from rlib import ConflictError, Ctx
from rlib.auth.users import SessionUser
from rlib.crud import crud_handler, op

HOOK_LOG: list[str] = []


class NovelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=64)
    slug: str = Field(max_length=64, pattern=r"^[a-z0-9-]+$")
    pages: int = 0
    secret_note: str | None = None


class NovelUpdate(BaseModel):
    title: str | None = Field(default=None, max_length=64)
    slug: str | None = None
    pages: int | None = None
    status: str | None = None


class ChapterCreate(BaseModel):
    number: int = Field(ge=1)
    name: str


class WriterCreate(BaseModel):
    name: str


def writer_of(ctx: Ctx) -> object:
    user = ctx.user
    return user.profile_id("writer") if isinstance(user, SessionUser) else None


async def before_create(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    HOOK_LOG.append("before")
    if data["title"] == "forbidden":
        raise ConflictError()
    if data["title"] == "genre first":  # the session is used before the insert
        ctx.db.add(Genre(name=f"before-{data['slug']}"))
        await ctx.db.flush()
    return {**data, "title": data["title"].strip()}


async def after_create(ctx: Ctx, row: dict[str, Any]) -> None:
    HOOK_LOG.append(f"after:{row['slug']}")
    if row["slug"].startswith("genre-"):  # the session joins after the insert
        ctx.db.add(Genre(name=f"after-{row['slug']}"))
        await ctx.db.flush()
    if row["slug"] == "roll-back" or row["slug"].endswith("-fail"):
        raise ConflictError()


async def after_commit(ctx: Ctx, row: dict[str, Any]) -> None:
    HOOK_LOG.append(f"committed:{row['slug']}")


class NovelLockedError(ConflictError):
    """A published novel (or a chapter named "Terkunci") is not edited: the hooks below say so."""

    code = "novel_locked"


def _refuse_locked(row: dict[str, Any]) -> None:
    if row.get("status") == "published" or row.get("name") == "Terkunci":
        raise NovelLockedError()


async def editable_update(ctx: Ctx, changes: dict[str, Any], row: dict[str, Any]) -> None:
    HOOK_LOG.append(f"update:{row['id']}")
    _refuse_locked(row)


async def editable_delete(ctx: Ctx, row: dict[str, Any]) -> None:
    HOOK_LOG.append(f"delete:{row['id']}")
    _refuse_locked(row)


async def only_small_batches(ctx: Ctx, rows: list[dict[str, Any]]) -> None:
    HOOK_LOG.append(f"bulk:{len(rows)}")
    for row in rows:
        _refuse_locked(row)


novel = crud_handler(
    Novel,
    {
        "name": "novel",
        "url": "/novel",
        "resource": "Novel",
        "list": {
            "search_fields": ["title", "slug"],
            "filters": {
                "status": op.eq | op.in_,
                "pages": op.gte | op.lte | op.gt | op.lt,
                "created_at": op.gte | op.lte,
                "title": op.contains,
                "id_writer": op.eq,
            },
            "include": ["writer", "genres"],
            "order_by": ["-created_at"],
            "sortable": ["title", "pages", "created_at"],
            "label_field": "title",
        },
        "get": {"include": ["writer", "genres", "chapters"]},
        "create": {
            "schema": NovelCreate,
            "before": before_create,
            "after": after_create,
            "after_commit": after_commit,
        },
        "update": {"schema": NovelUpdate, "before": editable_update},
        "delete": {"hard": True, "before": editable_delete},
        "soft_delete": {"enabled": True},
        "bulk_delete": {"enabled": True, "before": only_small_batches},
        "scope": {"field": "id_writer", "value": writer_of},
        "aliases": {"list": "/novel/search"},
        "nested": {
            "chapters": {
                "model": Chapter,
                "parent_field": "id_novel",
                "list": {"order_by": ["number"], "sortable": ["number"]},
                "create": {"schema": ChapterCreate},
                "update": {"schema": ChapterCreate, "before": editable_update},
                "delete": {"before": editable_delete},
            }
        },
    },
)

writer = crud_handler(
    Writer,
    {
        "name": "writer",
        "url": "/writer",
        "auth": ("staff",),
        "list": {"include": ["novels"], "order_by": ["name"], "search_fields": ["name"]},
        "create": {"schema": WriterCreate},
    },
)

novel_estimated = crud_handler(
    Novel,
    {
        "name": "novel_estimated",
        "url": "/novel-estimated",
        "auth": ("staff",),
        "list": {"count": "estimated", "estimate_threshold": 1},
        "soft_delete": {"enabled": True},
    },
)

novel_lean = crud_handler(
    Novel,
    {
        "name": "novel_lean",
        "url": "/novel-lean",
        "auth": ("staff",),
        "fields": ["id", "title", "slug", "id_writer"],
        "list": {"includable": {"writer": ["name"]}, "order_by": ["title"], "sortable": ["title"]},
        "soft_delete": {"enabled": True},
    },
)


class ShelfCreate(BaseModel):
    name: str
    rank: int = 0
    note: str | None = None
    id_writer: uuid.UUID | None = None


shelf = crud_handler(
    Shelf,
    {"name": "shelf", "url": "/shelf", "auth": "public", "create": {"schema": ShelfCreate}},
)

specimen = crud_handler(
    Specimen,
    {
        "name": "specimen",
        "url": "/specimen",
        "auth": "public",
        "list": {"include": ["writer"], "order_by": ["name"], "sortable": ["name"]},
        "get": {"include": ["writer"]},
    },
)
