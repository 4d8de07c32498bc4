"""Review history and change log of an own book."""

from __future__ import annotations

from esensi.api.publish.schemas import ApprovalEntry, ApprovalsQuery, ChangeEntry, ChangesQuery
from esensi.services import book_history
from rlib import Ctx, Page, define_api


@define_api(name="book_approval_list", url="/book-approval/list", methods=("GET", "POST"))
async def book_approval_list(ctx: Ctx, payload: ApprovalsQuery) -> list[ApprovalEntry]:
    """Review events of an own book, oldest first."""
    rows = await book_history.approvals(ctx, payload.id_book)
    return [ApprovalEntry.model_validate(row) for row in rows]


@define_api(name="book_changes_log_list", url="/book-changes-log/list", methods=("GET", "POST"))
async def book_changes_log_list(ctx: Ctx, payload: ChangesQuery) -> Page[ChangeEntry]:
    """Field diffs of an own book, newest first unless ``order`` is ``asc``; paged."""
    rows, total = await book_history.changes(
        ctx,
        payload.id_book,
        newest_first=payload.order == "desc",
        limit=payload.limit,
        offset=payload.skip(),
    )
    return Page(
        items=[ChangeEntry.model_validate(row) for row in rows],
        page=payload.page,
        limit=payload.limit,
        total=total,
    )
