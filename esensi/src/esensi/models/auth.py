"""Login identities and their secrets (better-auth table names kept).

The columns come from rlib's auth mixins; this module adds esensi's constraints and indexes.
"""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from esensi.models.base import Base
from esensi.models.enums import AuthProvider, Locale, VerificationPurpose
from rlib.auth.tables import (
    AccountColumns,
    AuthTables,
    IdentityColumns,
    SessionColumns,
    TwoFactorColumns,
    VerificationColumns,
)
from rlib.db.base import SoftDelete, Timestamps, UUIDPrimaryKey, vocabulary_check
from rlib.db.types import BoundedString
from rlib.throttle import RateLimitColumns


class AuthUser(UUIDPrimaryKey, IdentityColumns, SoftDelete, Timestamps, Base):
    """A login. Deletion keeps the row (orders reference it) and scrubs email and name."""

    __tablename__ = "auth_user"
    __table_args__ = (vocabulary_check("locale", Locale, "locale"),)

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


class AuthAccount(UUIDPrimaryKey, AccountColumns, Timestamps, Base):
    """A credential (argon2id hash) or a provider link."""

    __tablename__ = "auth_account"
    __table_args__ = (
        vocabulary_check("id_provider", AuthProvider, "id_provider"),
        UniqueConstraint("id_provider", "id_account"),
        UniqueConstraint("id_user", "id_provider"),
    )


class AuthSession(UUIDPrimaryKey, SessionColumns, Timestamps, Base):
    """A session; only the SHA-256 of its token is stored."""

    __tablename__ = "auth_session"
    # Leads with id_user, so it is also the foreign-key index.
    __table_args__ = (Index(None, "id_user", "revoked_at"),)


class AuthVerification(UUIDPrimaryKey, VerificationColumns, Timestamps, Base):
    """A one-time secret (link token or code), stored hashed and claimed once."""

    __tablename__ = "auth_verification"
    __table_args__ = (
        vocabulary_check("purpose", VerificationPurpose, "purpose"),
        UniqueConstraint("purpose", "value_hash"),
        Index(None, "purpose", "identifier"),
    )


class AuthTwoFactor(UUIDPrimaryKey, TwoFactorColumns, Timestamps, Base):
    """TOTP secret (encrypted with the app key) and hashed backup codes of one login."""

    __tablename__ = "auth_two_factor"


class AuthRateLimit(RateLimitColumns, Base):
    """A throttle counter, used when Redis is not configured; upserted, so no timestamps."""

    __tablename__ = "auth_rate_limit"


AUTH_TABLES = AuthTables(
    user=AuthUser,
    account=AuthAccount,
    session=AuthSession,
    verification=AuthVerification,
    two_factor=AuthTwoFactor,
    rate_limit=AuthRateLimit,
)
