"""Input and output models of the own-profile endpoints (author, publisher, check, bank)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from esensi.models.author import Author
from esensi.models.publisher import Publisher

Url = Annotated[str, StringConstraints(max_length=512)]
AccountNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]{5,34}$")]


class _ProfileUpdate(BaseModel):
    """Only the fields sent change; ``version`` (optional) guards against a lost update."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=255)
    bank_account_number: AccountNumber | None = None
    bank_account_provider: str | None = Field(default=None, min_length=2, max_length=64)
    bank_account_name: str | None = Field(default=None, min_length=1, max_length=255)
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)

    @field_validator("name")
    @classmethod
    def _name_is_never_null(cls, value: str | None) -> str:
        # Omitting the name keeps it; an explicit null is refused (the column is NOT NULL).
        if value is None:
            raise PydanticCustomError("string_type", "Input should be a valid string")
        return value

    def changes(self) -> dict[str, object]:
        """The fields the caller sent, without ``version``."""
        return self.model_dump(exclude_unset=True, exclude={"version"})


class AuthorUpdate(_ProfileUpdate):
    """The author's own name, biography, social links, avatar and (fresh sign-in) bank details."""

    biography: str | None = Field(default=None, max_length=65535)
    social_media: dict[Annotated[str, StringConstraints(max_length=32)], Url] | None = Field(
        default=None, max_length=20
    )
    avatar: Url | None = None


class PublisherUpdate(_ProfileUpdate):
    """The publisher's own profile and (fresh sign-in) bank details."""

    description: str | None = Field(default=None, max_length=65535)
    website: Url | None = None
    address: str | None = Field(default=None, max_length=2000)
    logo: Url | None = None


class BankSummary(BaseModel):
    """Which account payouts go to; the number shows only its last four digits."""

    provider: str | None
    name: str | None
    number_last4: str | None

    @classmethod
    def of(cls, profile: Author | Publisher) -> BankSummary | None:
        """The summary, or None when no bank field is set."""
        number = profile.bank_account_number
        if not (number or profile.bank_account_provider or profile.bank_account_name):
            return None
        return cls(
            provider=profile.bank_account_provider,
            name=profile.bank_account_name,
            number_last4=number[-4:] if number else None,
        )


class AuthorOwnView(BaseModel):
    """The author's own profile after an update."""

    id: uuid.UUID
    name: str
    biography: str | None
    social_media: dict[str, object] | None
    avatar: str | None
    bank_account: BankSummary | None
    version: int
    updated_at: dt.datetime

    @classmethod
    def of(cls, author: Author) -> AuthorOwnView:
        return cls(
            id=author.id,
            name=author.name,
            biography=author.biography,
            social_media=author.social_media,
            avatar=author.avatar,
            bank_account=BankSummary.of(author),
            version=author.version,
            updated_at=author.updated_at,
        )


class PublisherView(BaseModel):
    """The publisher's own profile (never the full account number)."""

    id: uuid.UUID
    name: str
    description: str | None
    website: str | None
    address: str | None
    logo: str | None
    bank_account: BankSummary | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, publisher: Publisher) -> PublisherView:
        return cls(
            id=publisher.id,
            name=publisher.name,
            description=publisher.description,
            website=publisher.website,
            address=publisher.address,
            logo=publisher.logo,
            bank_account=BankSummary.of(publisher),
            version=publisher.version,
            created_at=publisher.created_at,
            updated_at=publisher.updated_at,
        )


class AuthorCheck(BaseModel):
    """Whether the caller has an author profile, and its id."""

    is_author: bool
    id_author: uuid.UUID | None
