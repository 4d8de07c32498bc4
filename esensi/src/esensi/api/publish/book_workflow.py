"""Workflow steps of an own book outside plain CRUD: submitting it and pulling it back."""

from __future__ import annotations

from esensi.api.publish.schemas import BookRef, BookState
from esensi.services import submission
from rlib import Ctx, define_api


@define_api(name="book_submit", url="/book/submit", methods=("POST",))
async def book_submit(ctx: Ctx, payload: BookRef) -> BookState:
    """draft/rejected → submitted: an approval row; every reviewer is notified and emailed."""
    return BookState.model_validate(await submission.submit(ctx, payload.id))


@define_api(name="book_withdraw", url="/book/withdraw", methods=("POST",))
async def book_withdraw(ctx: Ctx, payload: BookRef) -> BookState:
    """submitted → draft, before a reviewer decides (another owner's book is a 404)."""
    return BookState.model_validate(await submission.withdraw(ctx, payload.id))
