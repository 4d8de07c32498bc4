"""An author's (or their publisher's) own books: list, detail, create, update, delete, trash."""

from __future__ import annotations

from typing import Any

from esensi.api.publish.schemas import BookCreate, BookUpdate
from esensi.models.book import Book
from esensi.services import ownership, submission
from rlib import Ctx
from rlib.crud import crud_handler, op


# The engine hands these hooks the caller's own visible book (another owner's is a 404 first).
async def _editable_update(ctx: Ctx, changes: dict[str, Any], book: dict[str, Any]) -> None:
    submission.ensure_editable(book)


async def _editable_delete(ctx: Ctx, book: dict[str, Any]) -> None:
    submission.ensure_editable(book)


book = crud_handler(
    Book,
    {
        "name": "book",
        "url": "/book",
        "resource": "resource.book",
        "list": {
            "search_fields": ["name", "slug", "desc"],
            "filters": {
                "status": op.eq | op.in_,
                "is_chapter": op.eq,
                "content_type": op.eq,
                "created_at": op.gte | op.lte,
            },
            "include": ["author"],
            "order_by": ["-created_at"],
            "sortable": ["name", "created_at", "updated_at", "status"],
            "label_field": "name",
        },
        "get": {"include": ["author", "genres", "tags", "product"]},
        "create": {"schema": BookCreate},
        "update": {"schema": BookUpdate, "before": _editable_update},
        "delete": {"before": _editable_delete},
        "soft_delete": {"enabled": True},
        "scope": {"field": "id_author", "value": ownership.managed_author_ids, "choose": True},
        "names": {"get": "book_detail", "list_trash": "book_trash"},
        "aliases": {"get": "/book/detail"},
    },
)
