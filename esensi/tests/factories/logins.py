"""Logins with a password and profiles, and real sessions for them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.affiliate import Affiliate
from esensi.models.auth import AUTH_TABLES, AuthAccount, AuthUser
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.internal import Internal
from esensi.models.publisher import Publisher
from rlib.auth.passwords import hash_password
from rlib.auth.sessions import issue
from rlib.config import AuthConfig

PASSWORD = "kata-sandi-rahasia-9"
ALL_STAFF_ROLES = {
    "is_sales_and_marketing": True,
    "is_support": True,
    "is_management": True,
    "is_it": True,
}


async def make_login(
    db: AsyncSession, *, password: str | None = PASSWORD, **overrides: Any
) -> AuthUser:
    """A login with a password credential (hashing is slow: ~50 ms)."""
    suffix = uuid.uuid4().hex[:10]
    values = {"name": f"Pengguna {suffix}", "email": f"login-{suffix}@contoh.id", **overrides}
    user = AuthUser(**values)
    db.add(user)
    await db.flush()
    if password is not None:
        db.add(
            AuthAccount(
                id_user=user.id,
                id_provider="credential",
                id_account=str(user.id),
                password=hash_password(password),
            )
        )
        await db.flush()
    return user


async def add_profile(db: AsyncSession, user: AuthUser, kind: str, **overrides: Any) -> uuid.UUID:
    """Give ``user`` a profile of ``kind``; returns its id."""
    values: dict[str, Any] = {"name": user.name, "id_user": user.id, **overrides}
    model: Any = {
        "customer": Customer,
        "author": Author,
        "publisher": Publisher,
        "internal": Internal,
        "affiliate": Affiliate,
    }[kind]
    if kind == "customer":
        values.setdefault("email", user.email)
    if kind == "internal" and not any(k.startswith("is_") for k in overrides):
        values.update(ALL_STAFF_ROLES)
    row = model(**values)
    db.add(row)
    await db.flush()
    return row.id


async def make_session(
    db: AsyncSession, user: AuthUser, *, kind: str | None = None, now: dt.datetime | None = None
) -> str:
    """A live session for ``user`` (no password check); returns the token."""
    config = AuthConfig()
    lifetime = config.lifetimes.get(kind or "", config.default_lifetime)
    issued = await issue(
        db, AUTH_TABLES, user_id=user.id, lifetime=lifetime, now=now or dt.datetime.now(dt.UTC)
    )
    return issued.token
