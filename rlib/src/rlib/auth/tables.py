"""Column mixins of the auth tables; the app declares the concrete tables on its own MetaData.

Table and column names are better-auth's (``auth_user``, ``auth_session``...), so data can move
across. The app adds its own ``__table_args__`` (vocabulary checks, case-insensitive unique
indexes) and hands the classes to rlib in an :class:`AuthTables`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from rlib.db.types import (
    BoundedBigInteger,
    BoundedChar,
    BoundedSmallInteger,
    BoundedString,
    BoundedText,
    UtcDateTime,
    json_type,
)
from rlib.throttle import RateLimitColumns

SENSITIVE: dict[str, Any] = {"sensitive": True}
USER_TABLE = "auth_user"


def _user_fk(*, nullable: bool = False, index: bool = False) -> Mapped[Any]:
    return mapped_column(
        ForeignKey(f"{USER_TABLE}.id", ondelete="CASCADE"), nullable=nullable, index=index
    )


class _Row:
    # Typing only: at run time these come from the app's base and id/timestamp mixins, and an
    # annotation here would make SQLAlchemy map a column of its own.
    if TYPE_CHECKING:
        id: Mapped[uuid.UUID]
        created_at: Mapped[dt.datetime]
        deleted_at: Mapped[dt.datetime | None]

        def __init__(self, **kwargs: Any) -> None: ...


class IdentityColumns(_Row):
    """``auth_user``: one login; profiles of each user type point at it."""

    name: Mapped[str] = mapped_column(BoundedString(255))
    email: Mapped[str] = mapped_column(BoundedString(320))
    email_verified: Mapped[bool] = mapped_column(default=False, server_default=false())
    image: Mapped[str | None] = mapped_column(BoundedString(512))
    username: Mapped[str | None] = mapped_column(BoundedString(64))
    display_username: Mapped[str | None] = mapped_column(BoundedString(64))
    two_factor_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())


class AccountColumns(_Row):
    """``auth_account``: a password credential or a provider link of a login."""

    id_provider: Mapped[str] = mapped_column(BoundedString(32))
    id_account: Mapped[str] = mapped_column(BoundedString(255))
    password: Mapped[str | None] = mapped_column(BoundedString(255), info=SENSITIVE)
    access_token: Mapped[str | None] = mapped_column(BoundedText(), info=SENSITIVE)
    refresh_token: Mapped[str | None] = mapped_column(BoundedText(), info=SENSITIVE)
    id_token: Mapped[str | None] = mapped_column(BoundedText(), info=SENSITIVE)
    access_token_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refresh_token_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    scope: Mapped[str | None] = mapped_column(BoundedString(512))

    @declared_attr
    def id_user(cls) -> Mapped[uuid.UUID]:
        return _user_fk()


class SessionColumns(_Row):
    """``auth_session``: only the SHA-256 of the token is stored."""

    token_hash: Mapped[str] = mapped_column(BoundedChar(64), unique=True, info=SENSITIVE)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    idle_expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    authenticated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    two_factor_verified: Mapped[bool] = mapped_column(default=False, server_default=false())
    ip_address: Mapped[str | None] = mapped_column(BoundedString(45))
    user_agent: Mapped[str | None] = mapped_column(BoundedString(512))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    family_id: Mapped[uuid.UUID | None] = mapped_column(index=True)

    @declared_attr
    def id_user(cls) -> Mapped[uuid.UUID]:
        return _user_fk()


class VerificationColumns(_Row):
    """``auth_verification``: a one-time secret (link token or code), hashed, claimed once."""

    purpose: Mapped[str] = mapped_column(BoundedString(24))
    identifier: Mapped[str] = mapped_column(BoundedString(320))
    value_hash: Mapped[str] = mapped_column(BoundedChar(64), info=SENSITIVE)
    data: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    attempts: Mapped[int] = mapped_column(BoundedSmallInteger, default=0, server_default="0")
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    consumed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    @declared_attr
    def id_user(cls) -> Mapped[uuid.UUID | None]:
        return _user_fk(nullable=True, index=True)


class TwoFactorColumns(_Row):
    """``auth_two_factor``: the TOTP secret (sealed, :mod:`rlib.auth.secretbox`) and the
    backup codes' digests of one login."""

    secret: Mapped[str] = mapped_column(BoundedString(255), info=SENSITIVE)
    backup_codes: Mapped[list[str]] = mapped_column(json_type(), info=SENSITIVE)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The 30-second step of the last accepted TOTP code: a code of that step or an earlier
    # one is refused (no replay inside the +-1 step window).
    last_step: Mapped[int | None] = mapped_column(BoundedBigInteger)

    @declared_attr
    def id_user(cls) -> Mapped[uuid.UUID]:
        return mapped_column(ForeignKey(f"{USER_TABLE}.id", ondelete="CASCADE"), unique=True)


@dataclass(frozen=True, slots=True)
class AuthTables:
    """The app's concrete auth tables, handed to rlib's auth layer."""

    user: type[IdentityColumns]
    account: type[AccountColumns]
    session: type[SessionColumns]
    verification: type[VerificationColumns]
    two_factor: type[TwoFactorColumns]
    rate_limit: type[RateLimitColumns]
