"""The review queue and the decisions on books (spec/endpoints.md §5, workflows §3.1).

Reviewers (management or support) see the submitted books, oldest first, and publish, reject
or send them back; management also takes a published book off sale.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, literal_column

from esensi.api.internal.actors import staff_actor
from esensi.api.internal.review_schemas import (
    ApprovalRead,
    BookDecisionInput,
    BookDecisionRead,
    BookUnpublishInput,
)
from esensi.models.book import Book
from esensi.models.enums import ApprovalStatus, BookStatus
from esensi.services import approval
from esensi.services.publication import ProductClashError, ProductDiscontinuedError
from rlib import Ctx, NotFoundError, ValidationError, define_api
from rlib.auth.flows import kit_of
from rlib.auth.users import require_role
from rlib.crud import crud_handler, op

REVIEWERS = ("internal:management", "internal:support")  # spec/endpoints.md §5
MANAGEMENT = ("internal:management",)


def _in_queue() -> ColumnElement[bool]:
    # Inline SQL, no bound value: the engine's compiled statements take request values only.
    submitted: ColumnElement[str] = literal_column(f"'{BookStatus.SUBMITTED.value}'")
    return and_(Book.status == submitted, Book.deleted_at.is_(None))


# The queue: only submitted books, the longest-waiting first (a submitted book cannot be
# edited, so its ``updated_at`` is the moment it was submitted); read-only here.
book = crud_handler(
    Book,
    {
        "name": "book",
        "url": "/book",
        "resource": "resource.book",
        "auth": REVIEWERS,
        "list": {
            "where": _in_queue,
            "search_fields": ["name", "slug"],
            "filters": {
                "id_author": op.eq,
                "id_publisher": op.eq,
                "content_type": op.eq,
                "is_chapter": op.eq,
            },
            "include": {"author": ["id", "name"], "publisher": ["id", "name"]},
            "order_by": ["updated_at", "created_at"],
            "sortable": ["created_at", "updated_at", "name"],
            "label_field": "name",
        },
        # The book's review history too: what earlier reviewers asked for.
        "get": {
            "include": {
                "author": ["id", "name"],
                "publisher": ["id", "name"],
                "approvals": ["id", "status", "comment", "id_internal", "created_at"],
            }
        },
        "delete": {"enabled": False},
    },
)


def _links(ctx: Ctx) -> approval.Links:
    kit = kit_of(ctx)
    return approval.Links(main=kit.base_url("main"), publish=kit.base_url("publish"))


def _reviewer_id(ctx: Ctx) -> uuid.UUID:
    staff = require_role(ctx, "internal")
    reviewer = staff.profile_id("internal")
    assert reviewer is not None  # require_role admits internal profiles only
    return reviewer


def _read(outcome: approval.Outcome) -> BookDecisionRead:
    product = outcome.product
    return BookDecisionRead(
        id=outcome.book.id,
        status=outcome.book.status,
        version=outcome.book.version,
        id_product=outcome.book.id_product,
        product_status=None if product is None else product.status,
        approval=ApprovalRead.model_validate(outcome.approval),
    )


@define_api(
    name="book_approval_create",
    url="/book-approval/create",
    auth=REVIEWERS,
    errors=(
        NotFoundError,
        ValidationError,
        approval.BookStatusError,
        ProductClashError,
        ProductDiscontinuedError,
    ),
)
async def book_approval_create(ctx: Ctx, payload: BookDecisionInput) -> BookDecisionRead:
    """Publish (product from the stored book), reject or send back a submitted book; the
    author is notified and emailed. Only a submitted book can be decided (409 otherwise)."""
    decision = approval.Decision(
        status=ApprovalStatus(payload.status),
        comment=payload.comment,
        reviewer_id=_reviewer_id(ctx),
        actor=staff_actor(ctx),
        category_ids=payload.category_ids,
    )
    return _read(await approval.decide(ctx, payload.id_book, decision, _links(ctx)))


@define_api(
    name="book_unpublish",
    url="/book/unpublish",
    auth=MANAGEMENT,
    errors=(NotFoundError, ValidationError, approval.BookStatusError),
)
async def book_unpublish(ctx: Ctx, payload: BookUnpublishInput) -> BookDecisionRead:
    """Take a published book off sale: back to draft, product paused, buyers keep their
    books; the owner is notified and emailed with the reason."""
    decision = approval.Decision(
        status=ApprovalStatus.UNPUBLISHED,
        comment=payload.reason,
        reviewer_id=_reviewer_id(ctx),
        actor=staff_actor(ctx),
    )
    return _read(await approval.unpublish(ctx, payload.id, decision, _links(ctx)))
