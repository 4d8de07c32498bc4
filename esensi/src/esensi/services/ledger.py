"""The ledger of a publisher or a self-published author (spec/workflows.md §4.8).

Who owns a ledger: the caller's publisher profile when the login has one, else its author
profile. A product's ledger owner is its ``id_publisher``, else its ``id_author``, so an author
whose books a publisher sells simply has no rows of those sales (balance 0) and reads the
publisher's sales through the publisher's login (ADR d-ledger-owner).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Numeric, bindparam, func, select, text, type_coerce
from sqlalchemy.engine import RowMapping

from esensi.models.author import Author
from esensi.models.ledger import Transaction
from esensi.models.publisher import Publisher
from esensi.models.withdrawal import Withdrawal
from rlib import AuthorizationError, NotFoundError, Scope
from rlib.auth.users import SessionUser

CENT = Decimal("0.01")
RECENT_WITHDRAWALS = 5
BANK = ("bank_account_number", "bank_account_provider", "bank_account_name")


@dataclass(frozen=True, slots=True)
class Owner:
    """Exactly one of the two ids is set."""

    publisher: uuid.UUID | None
    author: uuid.UUID | None

    def of(self, model: Any) -> ColumnElement[bool]:
        """``model``'s rows of this owner (a table with ``id_publisher`` / ``id_author``)."""
        if self.publisher is not None:
            return model.id_publisher == self.publisher  # type: ignore[no-any-return]
        return model.id_author == self.author  # type: ignore[no-any-return]

    def columns(self) -> dict[str, uuid.UUID | None]:
        return {"id_publisher": self.publisher, "id_author": self.author}

    @property
    def profile(self) -> type[Publisher] | type[Author]:
        return Publisher if self.publisher is not None else Author

    @property
    def id(self) -> uuid.UUID:
        found = self.publisher or self.author
        assert found is not None
        return found


def ledger_owner(scope: Scope) -> Owner:
    """The caller's ledger: its publisher, else its own author profile (403 for anyone else;
    the publish domain already admits authors and publishers only)."""
    user = scope.user
    if isinstance(user, SessionUser):
        publisher = user.profile_id("publisher")
        if publisher is not None:
            return Owner(publisher, None)
        author = user.profile_id("author")
        if author is not None:
            return Owner(None, author)
    raise AuthorizationError()


def money(value: object) -> Decimal:
    """A SUM as exact money: SQLite adds floats, so its sum is rounded back to cents."""
    return Decimal(str(value or 0)).quantize(CENT)


async def balance(scope: Scope, owner: Owner) -> Decimal:
    """SUM(amount) of the owner's rows, in SQL."""
    total = func.coalesce(func.sum(type_coerce(Transaction.amount, Numeric(18, 2))), 0)
    return money(await scope.db.scalar(select(total).where(owner.of(Transaction))))


async def lock_owner(scope: Scope, owner: Owner) -> dict[str, object]:
    """The owner's profile row (name, login, bank details), locked until commit; 404 without
    one. Every write that lowers a balance takes it first (payout request, adjustment).

    PostgreSQL: ``SELECT … FOR UPDATE`` serialises two requests of one owner. SQLite has no row
    locks: a no-op write takes the database write lock first, so the balance read after it is
    the latest and no other writer can commit before this transaction ends.
    """
    profile = owner.profile
    if scope.db.get_bind().dialect.name == "sqlite":
        table = profile.__tablename__
        no_op = text(f"UPDATE {table} SET version = version WHERE id = :id")
        await scope.db.execute(
            no_op.bindparams(bindparam("id", type_=profile.id.type)), {"id": owner.id}
        )
    columns = (profile.name, profile.id_user, *(getattr(profile, name) for name in BANK))
    query = select(*columns).where(profile.id == owner.id).with_for_update()
    row = (await scope.db.execute(query)).mappings().first()
    if row is None:
        raise NotFoundError("resource.publisher" if owner.publisher else "resource.author")
    return dict(row)


@dataclass(frozen=True, slots=True)
class LedgerPage:
    balance: Decimal
    rows: list[RowMapping]
    total: int
    withdrawals: list[RowMapping]


LEDGER_COLUMNS = (
    Transaction.id,
    Transaction.type,
    Transaction.amount,
    Transaction.id_sales,
    Transaction.id_sales_line,
    Transaction.id_withdrawal,
    Transaction.info,
    Transaction.created_at,
)
WITHDRAWAL_COLUMNS = (
    Withdrawal.id,
    Withdrawal.amount,
    Withdrawal.status,
    Withdrawal.requested_at,
    Withdrawal.processed_at,
    Withdrawal.reference,
    Withdrawal.note,
    Withdrawal.version,
)


async def ledger_page(
    scope: Scope, owner: Owner, *, kind: str | None, limit: int, offset: int
) -> LedgerPage:
    """Four statements: balance, count, the page (newest first), the last withdrawals."""
    where = [owner.of(Transaction)]
    if kind is not None:
        where.append(Transaction.type == kind)
    total = await scope.db.scalar(select(func.count()).select_from(Transaction).where(*where))
    rows = await scope.db.execute(
        select(*LEDGER_COLUMNS)
        .where(*where)
        .order_by(Transaction.created_at.desc(), Transaction.id.desc())
        .offset(offset)
        .limit(limit)
    )
    recent = await scope.db.execute(
        select(*WITHDRAWAL_COLUMNS)
        .where(owner.of(Withdrawal))
        .order_by(Withdrawal.requested_at.desc(), Withdrawal.id.desc())
        .limit(RECENT_WITHDRAWALS)
    )
    return LedgerPage(
        balance=await balance(scope, owner),
        rows=list(rows.mappings()),
        total=total or 0,
        withdrawals=list(recent.mappings()),
    )


async def adjust(scope: Scope, owner: Owner, amount: Decimal, info: dict[str, Any]) -> Transaction:
    """Append an ``adjustment`` row for ``owner`` (404 when the owner does not exist)."""
    await lock_owner(scope, owner)  # serialised with payout requests: no overdraw in between
    row = Transaction(**owner.columns(), type="adjustment", amount=amount, info=info)
    scope.db.add(row)
    await scope.db.flush()
    return row
