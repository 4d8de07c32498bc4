"""Staff decisions on books: publish, reject or send back a submission, and unpublish
(spec/workflows.md §3.1).

Each decision is one transaction: the book's status (a conditional update, so a second
reviewer deciding the same submission gets a 409), the product, the approval row, the
author's notification and email (outbox), and the staff audit row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from esensi.emails import BookApproved, BookReviewed, send_main_email
from esensi.models.auth import AuthUser
from esensi.models.author import Author
from esensi.models.book import Book, BookApproval
from esensi.models.enums import ApprovalStatus, BookStatus, NotifType
from esensi.models.product import Product
from esensi.services import audit, publication
from esensi.services.notifications import send_notif
from rlib import ConflictError, NotFoundError, Scope, ValidationError
from rlib.db.base import utcnow
from rlib.errors import FieldError

DECISIONS = (ApprovalStatus.PUBLISHED, ApprovalStatus.REJECTED, ApprovalStatus.REVISE)
# Where each decision leaves the book.
NEXT_STATUS = {
    ApprovalStatus.PUBLISHED: BookStatus.PUBLISHED,
    ApprovalStatus.REJECTED: BookStatus.REJECTED,
    ApprovalStatus.REVISE: BookStatus.DRAFT,
    ApprovalStatus.UNPUBLISHED: BookStatus.DRAFT,
}
AUDIT_ACTION = {
    ApprovalStatus.PUBLISHED: "book.approve",
    ApprovalStatus.REJECTED: "book.reject",
    ApprovalStatus.REVISE: "book.revise",
    ApprovalStatus.UNPUBLISHED: "book.unpublish",
}
# The author's notification (spec/workflows.md §6) and email (§7) of each decision.
NOTICE = {
    ApprovalStatus.PUBLISHED: (NotifType.BOOK_APPROVE, "book-approved"),
    ApprovalStatus.REJECTED: (NotifType.BOOK_REJECT, "book-rejected"),
    ApprovalStatus.REVISE: (NotifType.BOOK_REVISE, "book-revision"),
    ApprovalStatus.UNPUBLISHED: (NotifType.BOOK_REVISE, "book-revision"),
}
TEXTS = {
    NotifType.BOOK_APPROVE: {
        "id": "Buku {book} telah disetujui dan terbit",
        "en": "Your book {book} was approved and published",
    },
    NotifType.BOOK_REJECT: {
        "id": "Buku {book} ditolak: {comment}",
        "en": "Your book {book} was rejected: {comment}",
    },
    NotifType.BOOK_REVISE: {
        "id": "Buku {book} perlu revisi: {comment}",
        "en": "Your book {book} needs revision: {comment}",
    },
}
MESSAGE_MAX = 1000  # notif.message


class BookStatusError(ConflictError):
    """409: the book is not in the status this decision starts from (or was just decided)."""

    code = "book_status"
    key = "book.status_invalid"


@dataclass(frozen=True, slots=True)
class Links:
    """The origins the author's links point at: the store (product) and the portal (edit)."""

    main: str = ""
    publish: str = ""


@dataclass(frozen=True, slots=True)
class Decision:
    """What a reviewer decided, and by whom."""

    status: ApprovalStatus
    comment: str | None
    reviewer_id: uuid.UUID  # the reviewer's ``internal`` profile
    actor: audit.Actor
    category_ids: Sequence[uuid.UUID] = ()


@dataclass(frozen=True, slots=True)
class Outcome:
    """The decided book, its approval row and its product (if it has one)."""

    book: Book
    approval: BookApproval
    product: Product | None


async def decide(scope: Scope, book_id: uuid.UUID, decision: Decision, links: Links) -> Outcome:
    """Publish, reject or send back a submitted book.

    Raises:
        NotFoundError: no such live book.
        ValidationError: a rejection or revision without a comment; an unknown category.
        BookStatusError: the book is not submitted (or another reviewer decided first).
        ProductClashError, ProductDiscontinuedError: the product cannot be (re)published.
    """
    if decision.status not in DECISIONS:
        raise ValueError(f"not a review decision: {decision.status}")
    if decision.status != ApprovalStatus.PUBLISHED and not (decision.comment or "").strip():
        raise ValidationError([FieldError(loc=("body", "comment"), key="book.comment_required")])
    book = await _locked(scope, book_id)
    before: dict[str, object] = {"status": book.status}
    publishing = decision.status == ApprovalStatus.PUBLISHED
    extra: dict[str, object] = (
        {"published_date": book.published_date or utcnow()} if publishing else {}
    )
    await _move(scope, book, BookStatus.SUBMITTED, NEXT_STATUS[decision.status], extra)
    product = None
    if publishing:
        product = await publication.publish_product(scope, book, category_ids=decision.category_ids)
        await scope.db.flush()
    after: dict[str, object] = {"status": book.status, "id_product": _text(book.id_product)}
    return await _record(scope, book, decision, links, product, (before, after))


async def unpublish(scope: Scope, book_id: uuid.UUID, decision: Decision, links: Links) -> Outcome:
    """Take a published book off sale: back to draft, its product (and bundles holding it)
    paused; buyers keep their entitlements. ``decision.comment`` is the reason.

    Raises:
        NotFoundError: no such live book.
        ValidationError: no reason.
        BookStatusError: the book is not published.
    """
    if not (decision.comment or "").strip():
        raise ValidationError([FieldError(loc=("body", "reason"), key="book.reason_required")])
    book = await _locked(scope, book_id)
    before: dict[str, object] = {"status": book.status}
    await _move(scope, book, BookStatus.PUBLISHED, BookStatus.DRAFT)
    product = None
    paused = 0
    if book.id_product is not None:
        paused = await publication.pause_product(scope, book.id_product)
        product = await scope.db.get(Product, book.id_product, populate_existing=True)
    after: dict[str, object] = {
        "status": book.status,
        "product_status": None if product is None else product.status,
        "bundles_paused": paused,
    }
    return await _record(scope, book, decision, links, product, (before, after))


async def _locked(scope: Scope, book_id: uuid.UUID) -> Book:
    book = await scope.db.scalar(
        select(Book).where(Book.id == book_id, Book.deleted_at.is_(None)).with_for_update()
    )
    if book is None:
        raise NotFoundError("resource.book")
    return book


async def _move(
    scope: Scope,
    book: Book,
    source: BookStatus,
    target: BookStatus,
    extra: dict[str, object] | None = None,
) -> None:
    # Conditional on the status and version read: a concurrent decision makes this match
    # nothing, and the second reviewer gets the 409 rather than a second decision.
    values = {
        "status": target.value,
        "version": book.version + 1,
        "updated_at": utcnow(),
        **(extra or {}),
    }
    moved = await scope.db.execute(
        update(Book)
        .where(Book.id == book.id, Book.status == source.value, Book.version == book.version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not getattr(moved, "rowcount", 0):
        raise BookStatusError()
    for column, value in values.items():  # the row now holds these: no need to read it back
        set_committed_value(book, column, value)


async def _record(
    scope: Scope,
    book: Book,
    decision: Decision,
    links: Links,
    product: Product | None,
    change: tuple[dict[str, object], dict[str, object]],
) -> Outcome:
    comment = (decision.comment or "").strip() or None
    approval = BookApproval(
        id_book=book.id,
        id_internal=decision.reviewer_id,
        comment=comment,
        status=decision.status.value,
    )
    scope.db.add(approval)
    await scope.db.flush()
    await _tell_author(scope, book, decision.status, comment, links)
    await audit.record(
        scope,
        decision.actor,
        action=AUDIT_ACTION[decision.status],
        entity="book",
        entity_id=book.id,
        before=change[0],
        after={**change[1], "comment": comment},
    )
    return Outcome(book=book, approval=approval, product=product)


async def _tell_author(
    scope: Scope, book: Book, status: ApprovalStatus, comment: str | None, links: Links
) -> None:
    """The decision's notification and email to the author's login (none without a login)."""
    found = (
        await scope.db.execute(
            select(Author.name, AuthUser.id, AuthUser.email, AuthUser.locale)
            .join(AuthUser, AuthUser.id == Author.id_user)
            .where(Author.id == book.id_author, AuthUser.deleted_at.is_(None))
        )
    ).first()
    if found is None:
        return
    name, user_id, email, locale = found
    kind, template = NOTICE[status]
    texts = TEXTS[kind]
    message = texts.get(locale, texts["id"]).format(book=book.name, comment=comment or "")
    content = {"type": kind.value, "message": message[:MESSAGE_MAX], "url": f"/book/{book.id}"}
    await send_notif(scope, user_id, {"notif": content})
    edit_url = f"{links.publish}/book/{book.id}"
    model: BookApproved | BookReviewed
    if status == ApprovalStatus.PUBLISHED:
        model = BookApproved(
            name=name, book=book.name, product_url=f"{links.main}/product/{book.slug}"
        )
    else:
        model = BookReviewed(name=name, book=book.name, comment=comment or "", edit_url=edit_url)
    await send_main_email(
        scope,
        to=email,
        template_alias=template,
        template_model=model,
        lang="en" if locale == "en" else "id",
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
