"""An author's (or their publisher's) own books: list, detail, create, update, delete, trash."""

from __future__ import annotations

from typing import Any

from esensi.api.publish.schemas import BookCreate, BookEdit
from esensi.models.book import Book
from esensi.models.enums import BookStatus
from esensi.services import book_history, ownership, submission
from rlib import Ctx
from rlib.crud import crud_handler, op

RECENT_CHANGES = 20
# The detail lists chapters without their content (a chapter may be 2 MiB of Editor.js).
CHAPTER_SUMMARY = ["id", "id_book", "number", "name", "is_free", "status", "published_at"]
# A review event as the author sees it: the reviewer's identity stays in the back office.
APPROVAL_SUMMARY = ["id", "id_book", "status", "comment", "created_at"]


# The engine hands these hooks the caller's own visible book (another owner's is a 404 first).
async def _edit(ctx: Ctx, changes: dict[str, Any], book: dict[str, Any]) -> dict[str, Any]:
    """Only drafts and rejected books change; the diff goes to the change log in this
    transaction, and ``status: "submitted"`` submits the edited book (continuity)."""
    submission.ensure_editable(book)
    submitting = changes.pop("status", None) == BookStatus.SUBMITTED
    diff = book_history.diff(book, changes)
    if diff:
        await book_history.record(ctx, book["id"], diff)
    if submitting:
        title = changes.get("name") or book["name"]
        await submission.announce(ctx, book_id=book["id"], title=title, author_id=book["id_author"])
        changes["status"] = BookStatus.SUBMITTED
    return changes


async def _editable_delete(ctx: Ctx, book: dict[str, Any]) -> None:
    submission.ensure_editable(book)


async def _detail(ctx: Ctx, book: dict[str, Any]) -> None:
    """What the includes cannot fetch: the last changes; chapters in reading order."""
    book["changes"] = await book_history.latest_changes(ctx, book["id"], limit=RECENT_CHANGES)
    book["chapters"].sort(key=lambda chapter: chapter["number"])
    book["approvals"].sort(key=lambda approval: (approval["created_at"], approval["id"]))


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
                "genres.id": op.eq | op.in_,
                "genres.slug": op.eq | op.in_,
            },
            "include": ["author"],
            "order_by": ["-created_at"],
            "sortable": ["name", "created_at", "updated_at", "status"],
            "label_field": "name",
        },
        "get": {
            "include": {
                "author": [],
                "genres": [],
                "tags": [],
                "product": [],
                "chapters": CHAPTER_SUMMARY,
                "approvals": APPROVAL_SUMMARY,
            },
            "after": _detail,
        },
        "create": {"schema": BookCreate},
        "update": {"schema": BookEdit, "before": _edit},
        "delete": {"before": _editable_delete},
        "soft_delete": {"enabled": True},
        "scope": {"field": "id_author", "value": ownership.managed_author_ids, "choose": True},
        "names": {"get": "book_detail", "list_trash": "book_trash"},
        "aliases": {"get": "/book/detail"},
    },
)
