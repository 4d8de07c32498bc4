"""The five profile types as staff manage them: which rows hang off each profile (counted in
its get, stats and search, and blocking its delete), the login link and the bank details.

Every count is a correlated subquery of one statement, so a get, a search page or a stats call
costs a fixed number of statements whatever the number of profiles or related rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute

from esensi.models.affiliate import Affiliate
from esensi.models.auth import AuthUser
from esensi.models.author import Author, AuthorFollow
from esensi.models.book import Book, BookApproval
from esensi.models.bundle import Bundle
from esensi.models.customer import Customer
from esensi.models.entitlement import CustomerReader, TSalesDownload
from esensi.models.internal import Internal
from esensi.models.ledger import Transaction
from esensi.models.product import Product
from esensi.models.promo import PromoCode
from esensi.models.publisher import Publisher, PublisherAuthor
from esensi.models.sales import TSales
from esensi.models.withdrawal import Withdrawal
from rlib import NotFoundError, Scope, ValidationError
from rlib.errors import DeleteBlockedError, FieldError

Column = InstrumentedAttribute[Any]


@dataclass(frozen=True, slots=True)
class Related:
    """Rows of another table pointing at a profile through ``key``; ``live`` narrows what the
    count shows (a delete is blocked by any row, live or not)."""

    table: str
    key: Column
    live: tuple[ColumnElement[bool], ...] = ()

    def count(self, profile_id: ColumnElement[Any]) -> Any:
        """The count of live related rows of ``profile_id``, as a scalar subquery."""
        return (
            select(func.count())
            .select_from(self.key.class_)
            .where(self.key == profile_id, *self.live)
            .scalar_subquery()
        )

    def any_live(self, profile_id: ColumnElement[Any]) -> Any:
        """Whether ``profile_id`` has a live related row (the ``has_*`` filters)."""
        return exists().where(self.key == profile_id, *self.live)

    def blocks(self, profile_id: object) -> Any:
        """Whether any row, live or soft-deleted, still points at ``profile_id``."""
        return exists().where(self.key == profile_id)


@dataclass(frozen=True, slots=True)
class Sum:
    """A money sum over rows pointing at a profile."""

    key: Column
    amount: Column
    where: tuple[ColumnElement[bool], ...] = ()

    def total(self, profile_id: ColumnElement[Any]) -> Any:
        return (
            select(func.coalesce(func.sum(self.amount), 0))
            .where(self.key == profile_id, *self.where)
            .scalar_subquery()
        )


@dataclass(frozen=True, slots=True)
class Kind:
    """One profile type: its model, what is counted, what blocks a hard delete, what is summed,
    and the text columns a search looks in."""

    name: str
    model: Any
    label: str
    related: dict[str, Related] = field(default_factory=dict)
    blockers: tuple[str, ...] = ()
    sums: dict[str, Sum] = field(default_factory=dict)
    text: tuple[str, ...] = ("name",)
    bank: bool = False


def _live(model: Any) -> tuple[ColumnElement[bool], ...]:
    return (model.deleted_at.is_(None),)


_ACTIVE_LINK = (PublisherAuthor.status == "active",)
_ORDERS = (TSales.status != "cart", TSales.deleted_at.is_(None))
_PAID_OUT = (Withdrawal.status == "paid",)

KINDS: dict[str, Kind] = {
    "affiliate": Kind("affiliate", Affiliate, "resource.affiliate"),
    "author": Kind(
        "author",
        Author,
        "resource.author",
        related={
            "books": Related("book", Book.id_author, _live(Book)),
            "products": Related("product", Product.id_author, _live(Product)),
            "bundles": Related("bundle", Bundle.id_author, _live(Bundle)),
            "publishers": Related("publisher_author", PublisherAuthor.author_id, _ACTIVE_LINK),
            "transactions": Related("transaction", Transaction.id_author),
            "withdrawals": Related("withdrawal", Withdrawal.id_author),
            "followers": Related("author_follow", AuthorFollow.id_author),
        },
        blockers=("books", "products", "bundles", "publishers", "transactions", "withdrawals"),
        sums={
            "balance": Sum(Transaction.id_author, Transaction.amount),
            "withdrawn": Sum(Withdrawal.id_author, Withdrawal.amount, _PAID_OUT),
        },
        text=("name", "biography"),
        bank=True,
    ),
    "customer": Kind(
        "customer",
        Customer,
        "resource.customer",
        related={
            "orders": Related("t_sales", TSales.id_customer, _ORDERS),
            "entitlements": Related("t_sales_download", TSalesDownload.id_customer),
            "readings": Related("customer_reader", CustomerReader.id_customer),
        },
        sums={"paid": Sum(TSales.id_customer, TSales.total, (TSales.status == "paid",))},
        text=("name", "email", "whatsapp"),
    ),
    "internal": Kind(
        "internal",
        Internal,
        "resource.internal",
        related={
            "approvals": Related("book_approval", BookApproval.id_internal),
            "withdrawals": Related("withdrawal", Withdrawal.id_internal),
        },
        blockers=("approvals", "withdrawals"),
    ),
    "publisher": Kind(
        "publisher",
        Publisher,
        "resource.publisher",
        related={
            "authors": Related("publisher_author", PublisherAuthor.publisher_id, _ACTIVE_LINK),
            "books": Related("book", Book.id_publisher, _live(Book)),
            "products": Related("product", Product.id_publisher, _live(Product)),
            "promo_codes": Related("promo_code", PromoCode.id_publisher),
            "transactions": Related("transaction", Transaction.id_publisher),
            "withdrawals": Related("withdrawal", Withdrawal.id_publisher),
        },
        blockers=("authors", "books", "products", "promo_codes", "transactions", "withdrawals"),
        sums={
            "balance": Sum(Transaction.id_publisher, Transaction.amount),
            "withdrawn": Sum(Withdrawal.id_publisher, Withdrawal.amount, _PAID_OUT),
        },
        text=("name", "description", "website", "address"),
        bank=True,
    ),
}


async def ensure_deletable(scope: Scope, kind: Kind, profile_id: object) -> None:
    """409 naming the first relation still pointing at the profile (one statement).

    Checked before the DELETE so both databases name the same relation (PostgreSQL alone would
    say which foreign key failed; SQLite does not).
    """
    if not kind.blockers:
        return
    checks = [kind.related[name].blocks(profile_id).label(name) for name in kind.blockers]
    found = (await scope.db.execute(select(*checks))).one()
    for name, blocked in zip(kind.blockers, found, strict=True):
        if blocked:
            raise DeleteBlockedError(relation=kind.related[name].table)


async def ensure_login(scope: Scope, user_id: uuid.UUID | None) -> None:
    """A link names a live login (a missing one is the FK's 422; a deleted one is ours)."""
    if user_id is None:
        return
    deleted = await scope.db.scalar(select(AuthUser.deleted_at).where(AuthUser.id == user_id))
    if deleted is not None:
        raise ValidationError([FieldError(loc=("body", "id_user"), key="v.login_deleted")])


def mask_number(number: str | None) -> str | None:
    """A bank account number showing its last four digits only."""
    if number is None:
        return None
    return "*" * max(len(number) - 4, 0) + number[-4:]


async def details(
    scope: Scope, kind: Kind, profile_id: uuid.UUID, *, full_bank: bool
) -> dict[str, Any]:
    """Counts of the related rows and (author, publisher) the bank details, in one statement;
    the account number is masked unless ``full_bank``."""
    model = kind.model
    counts = [rel.count(model.id).label(name) for name, rel in kind.related.items()]
    bank = (
        [model.bank_account_number, model.bank_account_provider, model.bank_account_name]
        if kind.bank
        else []
    )
    if not counts and not bank:
        return {"counts": {}}
    row = (await scope.db.execute(select(*counts, *bank).where(model.id == profile_id))).one()
    values = row._mapping
    found: dict[str, Any] = {"counts": {name: int(values[name]) for name in kind.related}}
    if kind.bank:
        number = values["bank_account_number"]
        found["bank"] = {
            "number": number if full_bank else mask_number(number),
            "provider": values["bank_account_provider"],
            "name": values["bank_account_name"],
        }
    return found


async def profile_stats(scope: Scope, kind: Kind, profile_id: uuid.UUID) -> dict[str, Any]:
    """One profile's counts and sums; 404 when it does not exist (or is soft-deleted)."""
    model = kind.model
    counts = [rel.count(model.id).label(name) for name, rel in kind.related.items()]
    sums = [item.total(model.id).label(f"sum_{name}") for name, item in kind.sums.items()]
    where = [model.id == profile_id]
    if hasattr(model, "deleted_at"):
        where.append(model.deleted_at.is_(None))
    row = (await scope.db.execute(select(model.id, *counts, *sums).where(*where))).first()
    if row is None:
        raise NotFoundError(kind.label)
    values = row._mapping
    return {
        "id": profile_id,
        "counts": {name: int(values[name]) for name in kind.related},
        "sums": {name: values[f"sum_{name}"] for name in kind.sums},
    }
