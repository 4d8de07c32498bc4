"""The one declarative base of esensi and the schema pieces several aggregates share."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, declared_attr, mapped_column

from rlib.db.base import NAMING_CONVENTION, index_only_on
from rlib.db.types import BoundedChar, BoundedString

LIVE = "deleted_at IS NULL"

IndexPart = str | ColumnElement[Any]

# ``bigint identity`` keys: SQLite auto-increments only a column typed exactly INTEGER PRIMARY KEY.
BIGINT_IDENTITY = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Every esensi table: one MetaData, one migration history.

    Written out instead of ``make_base()`` because mypy cannot subclass a base held in a variable;
    the MetaData is built exactly as ``rlib.db.base.make_base`` builds it.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Currency:
    """``currency char(3) not null default 'IDR'``: the store sells in rupiah only."""

    @declared_attr
    def currency(cls) -> Mapped[str]:
        return mapped_column(
            BoundedChar(3),
            CheckConstraint("currency = 'IDR'", name="currency"),
            default="IDR",
            server_default="IDR",
        )


def fk(target: str, *, ondelete: str = "RESTRICT") -> ForeignKey:
    """A foreign key to ``target`` ("table.column"); RESTRICT unless the spec says otherwise."""
    return ForeignKey(target, ondelete=ondelete)


def partial_unique(*columns: IndexPart, where: str = LIVE, name: str | None = None) -> Index:
    """A unique index over the rows matching ``where`` (same partial syntax on both backends)."""
    return Index(
        name, *columns, unique=True, postgresql_where=text(where), sqlite_where=text(where)
    )


def partial_index(*columns: IndexPart, where: str, name: str | None = None) -> Index:
    """A non-unique index over the rows matching ``where``."""
    return Index(name, *columns, postgresql_where=text(where), sqlite_where=text(where))


def trigram_index(table: str) -> Index:
    """``<table>_name_trgm``: a pg_trgm GIN index for name search; PostgreSQL only."""
    index = Index(
        f"{table}_name_trgm",
        "name",
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    return index_only_on(index, "postgresql")


def non_negative(*columns: str) -> list[CheckConstraint]:
    """``CHECK (col >= 0)`` for each money or quantity column, named ``<col>_nonneg``."""
    return [CheckConstraint(f"{col} >= 0", name=f"{col}_nonneg") for col in columns]


def empty_list() -> list[Any]:
    """Python-side default of the JSON file-list columns."""
    return []


EMPTY_JSON_LIST = text("'[]'")


def status_column(default: enum.StrEnum, *, length: int = 16) -> MappedColumn[Any]:
    """A lowercase vocabulary column; pair it with ``vocabulary_check`` in ``__table_args__``."""
    return mapped_column(
        BoundedString(length), nullable=False, default=default.value, server_default=default.value
    )


SENSITIVE: dict[str, Any] = {"sensitive": True}


class BankAccount:
    """Payout details: readable by the owner (fresh session) and management only."""

    bank_account_number: Mapped[str | None] = mapped_column(BoundedString(64), info=SENSITIVE)
    bank_account_provider: Mapped[str | None] = mapped_column(BoundedString(64), info=SENSITIVE)
    bank_account_name: Mapped[str | None] = mapped_column(BoundedString(255), info=SENSITIVE)


def user_link(*, nullable: bool = True) -> MappedColumn[Any]:
    """``id_user``, the only link from a profile to a login.

    A deleted login leaves the profile (and its business rows) in place. Staff rows require a
    login, so for them the link is RESTRICT rather than SET NULL.
    """
    return mapped_column(
        fk("auth_user.id", ondelete="SET NULL" if nullable else "RESTRICT"), nullable=nullable
    )


def one_profile_per_user() -> Index:
    """A login has at most one profile of each type; profiles without a login are allowed."""
    return partial_unique("id_user", where="id_user IS NOT NULL")
