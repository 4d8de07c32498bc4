"""Input and output models of the people resources (affiliate, author, customer, staff,
publisher): what staff may write, how they search, what the stats answer."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from rlib.limits import PageNumber, PageOffset

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=512)]
LongText = Annotated[str, StringConstraints(max_length=65535)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]
WhatsApp = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+[1-9][0-9]{7,14}$")]
BankText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
BANK_FIELDS = frozenset({"bank_account_number", "bank_account_provider", "bank_account_name"})


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AffiliateWrite(_Input):
    """An affiliate; ``id_user`` links an existing login (audited)."""

    name: Name
    id_user: uuid.UUID | None = None


class AuthorWrite(_Input):
    """An author; the bank fields are management's only."""

    name: Name
    biography: LongText | None = None
    social_media: dict[str, Any] | None = None
    avatar: Url | None = None
    cfg: dict[str, Any] | None = None
    bank_account_number: BankText | None = None
    bank_account_provider: BankText | None = None
    bank_account_name: Name | None = None
    id_user: uuid.UUID | None = None


class CustomerWrite(_Input):
    """A customer; the email is unique among live customers (409 otherwise)."""

    name: Name
    email: Email
    whatsapp: WhatsApp | None = None
    id_user: uuid.UUID | None = None


class InternalWrite(_Input):
    """A staff profile: always an existing login, at least one role flag."""

    name: Name
    is_sales_and_marketing: bool = False
    is_support: bool = False
    is_management: bool = False
    is_it: bool = False
    id_user: uuid.UUID

    @model_validator(mode="after")
    def _one_role(self) -> InternalWrite:
        # A create body is checked here; an update that clears every flag meets the CHECK.
        if not (self.is_sales_and_marketing or self.is_support or self.is_management or self.is_it):
            raise ValueError("at least one role flag must be true")
        return self


class PublisherWrite(_Input):
    """A publisher (name unique, case-insensitive); the bank fields are management's only."""

    name: Name
    description: LongText | None = None
    website: Url | None = None
    address: LongText | None = None
    logo: Url | None = None
    bank_account_number: BankText | None = None
    bank_account_provider: BankText | None = None
    bank_account_name: Name | None = None
    id_user: uuid.UUID | None = None


class PeopleSearch(_Input):
    """``query`` over the names (and the type's text columns), ``has_<relation>`` true/false,
    ``has_account``; sort by a column or a count; both paging styles."""

    query: str | None = Field(default=None, max_length=200)
    has: dict[str, bool] = Field(default_factory=dict, max_length=10)
    has_account: bool | None = None
    sort_by: str = Field(default="created_at", max_length=64)
    sort_order: Literal["asc", "desc"] = "desc"
    page: PageNumber = 1
    limit: int = Field(default=20, ge=1, le=100)
    offset: PageOffset = None


class PeopleStatsQuery(_Input):
    """With ``id``: that profile's counts and sums; without: the whole type's."""

    id: uuid.UUID | None = None


class ProfileStats(BaseModel):
    """One profile's related-row counts and money sums (as decimal strings)."""

    id: uuid.UUID
    counts: dict[str, int]
    sums: dict[str, Decimal]


class TypeStats(BaseModel):
    """The whole type: how many, how many with a login, new in the last 30 days, and per
    relation how many profiles have at least one row."""

    total: int
    with_login: int
    new_last_30_days: int
    with_relation: dict[str, int]
    since: dt.datetime


class AuthorBulkItem(_Input):
    """One author's changes in a bulk update (the bank fields stay with ``author_update``)."""

    id: uuid.UUID
    version: int | None = Field(default=None, ge=1)
    name: Name | None = None
    biography: LongText | None = None
    social_media: dict[str, Any] | None = None
    avatar: Url | None = None
    cfg: dict[str, Any] | None = None


class AuthorBulkUpdate(_Input):
    """Up to 100 authors, each at most once; all are written or none."""

    authors: list[dict[str, Any]] = Field(min_length=1, max_length=100)


class BulkResult(BaseModel):
    """How many authors were updated (all of them: the update is all or nothing)."""

    updated: int
    ids: list[uuid.UUID]
