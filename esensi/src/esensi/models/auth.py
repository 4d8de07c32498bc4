"""Login identities and their secrets (better-auth table names kept)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Index, UniqueConstraint, false, func
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import SENSITIVE, Base, fk
from esensi.models.enums import AuthProvider, Locale, VerificationPurpose
from rlib.db.base import SoftDelete, Timestamps, UUIDPrimaryKey, vocabulary_check
from rlib.db.types import (
    BoundedChar,
    BoundedInteger,
    BoundedSmallInteger,
    BoundedString,
    BoundedText,
    UtcDateTime,
    json_type,
)


class AuthUser(UUIDPrimaryKey, SoftDelete, Timestamps, Base):
    """A login. Deletion keeps the row (orders reference it) and scrubs email and name."""

    __tablename__ = "auth_user"
    __table_args__ = (vocabulary_check("locale", Locale, "locale"),)

    name: Mapped[str] = mapped_column(BoundedString(255))
    email: Mapped[str] = mapped_column(BoundedString(320))
    email_verified: Mapped[bool] = mapped_column(default=False, server_default=false())
    image: Mapped[str | None] = mapped_column(BoundedString(512))
    username: Mapped[str | None] = mapped_column(BoundedString(64))
    display_username: Mapped[str | None] = mapped_column(BoundedString(64))
    two_factor_enabled: Mapped[bool] = mapped_column(default=False, server_default=false())
    locale: Mapped[str] = mapped_column(
        BoundedString(5), default=Locale.ID.value, server_default=Locale.ID.value
    )


Index("ix_auth_user_lower_email", func.lower(AuthUser.email), unique=True)
Index(
    "ix_auth_user_lower_username",
    func.lower(AuthUser.username),
    unique=True,
    postgresql_where=AuthUser.username.is_not(None),
    sqlite_where=AuthUser.username.is_not(None),
)


class AuthAccount(UUIDPrimaryKey, Timestamps, Base):
    """A credential (argon2id hash) or a provider link."""

    __tablename__ = "auth_account"
    __table_args__ = (
        vocabulary_check("id_provider", AuthProvider, "id_provider"),
        UniqueConstraint("id_provider", "id_account"),
        UniqueConstraint("id_user", "id_provider"),
    )

    id_user: Mapped[uuid.UUID] = mapped_column(fk("auth_user.id", ondelete="CASCADE"))
    id_provider: Mapped[str] = mapped_column(BoundedString(32))
    id_account: Mapped[str] = mapped_column(BoundedString(255))
    password: Mapped[str | None] = mapped_column(BoundedString(255), info=SENSITIVE)
    access_token: Mapped[str | None] = mapped_column(BoundedText(), info=SENSITIVE)
    refresh_token: Mapped[str | None] = mapped_column(BoundedText(), info=SENSITIVE)
    id_token: Mapped[str | None] = mapped_column(BoundedText(), info=SENSITIVE)
    access_token_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    refresh_token_expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    scope: Mapped[str | None] = mapped_column(BoundedString(512))


class AuthSession(UUIDPrimaryKey, Timestamps, Base):
    """A session; only the SHA-256 of its token is stored."""

    __tablename__ = "auth_session"
    # Leads with id_user, so it is also the foreign-key index.
    __table_args__ = (Index(None, "id_user", "revoked_at"),)

    id_user: Mapped[uuid.UUID] = mapped_column(fk("auth_user.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(BoundedChar(64), unique=True, info=SENSITIVE)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    idle_expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    authenticated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    two_factor_verified: Mapped[bool] = mapped_column(default=False, server_default=false())
    ip_address: Mapped[str | None] = mapped_column(BoundedString(45))
    user_agent: Mapped[str | None] = mapped_column(BoundedString(512))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    family_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class AuthVerification(UUIDPrimaryKey, Timestamps, Base):
    """A one-time secret (link token or code), stored hashed and claimed once."""

    __tablename__ = "auth_verification"
    __table_args__ = (
        vocabulary_check("purpose", VerificationPurpose, "purpose"),
        UniqueConstraint("purpose", "value_hash"),
        Index(None, "purpose", "identifier"),
    )

    purpose: Mapped[str] = mapped_column(BoundedString(24))
    identifier: Mapped[str] = mapped_column(BoundedString(320))
    id_user: Mapped[uuid.UUID | None] = mapped_column(
        fk("auth_user.id", ondelete="CASCADE"), index=True
    )
    value_hash: Mapped[str] = mapped_column(BoundedChar(64), info=SENSITIVE)
    data: Mapped[dict[str, Any] | None] = mapped_column(json_type())
    attempts: Mapped[int] = mapped_column(BoundedSmallInteger, default=0, server_default="0")
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    consumed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AuthTwoFactor(UUIDPrimaryKey, Timestamps, Base):
    """TOTP secret (encrypted with the app key) and hashed backup codes of one login."""

    __tablename__ = "auth_two_factor"

    id_user: Mapped[uuid.UUID] = mapped_column(fk("auth_user.id", ondelete="CASCADE"), unique=True)
    secret: Mapped[str] = mapped_column(BoundedString(255), info=SENSITIVE)
    backup_codes: Mapped[list[str]] = mapped_column(json_type(), info=SENSITIVE)
    verified_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class AuthRateLimit(Base):
    """A throttle counter, used when Redis is not configured; upserted, so no timestamps."""

    __tablename__ = "auth_rate_limit"

    key: Mapped[str] = mapped_column(BoundedString(255), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    count: Mapped[int] = mapped_column(BoundedInteger)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
