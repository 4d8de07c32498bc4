"""A login as its owner sees and edits it: profiles, sign-in methods, name and picture."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import String, literal, select, union_all, update

from esensi.models.affiliate import Affiliate
from esensi.models.auth import AuthAccount, AuthUser
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.internal import Internal
from esensi.models.publisher import Publisher
from rlib import NotFoundError, Scope

PROFILE_MODELS: dict[str, type[Customer | Author | Publisher | Internal | Affiliate]] = {
    "customer": Customer,
    "author": Author,
    "publisher": Publisher,
    "internal": Internal,
    "affiliate": Affiliate,
}


async def profile_types(scope: Scope, user_id: uuid.UUID) -> set[str]:
    """The user types for which ``user_id`` has a profile, in one query."""
    parts = [
        select(literal(name).label("kind")).select_from(model).where(model.id_user == user_id)
        for name, model in PROFILE_MODELS.items()
    ]
    rows = await scope.db.execute(union_all(*parts))
    return {str(kind) for (kind,) in rows}


async def own_accounts(scope: Scope, user_id: uuid.UUID) -> list[AuthAccount]:
    """The login's sign-in methods (password credential, Google...), oldest first."""
    rows = await scope.db.scalars(
        select(AuthAccount)
        .where(AuthAccount.id_user == user_id)
        .order_by(AuthAccount.created_at, AuthAccount.id)
    )
    return list(rows)


async def own_account(scope: Scope, user_id: uuid.UUID, account_id: uuid.UUID) -> AuthAccount:
    """One of the login's own accounts; 404 for a missing or foreign id alike."""
    account = await scope.db.scalar(
        select(AuthAccount).where(AuthAccount.id == account_id, AuthAccount.id_user == user_id)
    )
    if account is None:
        raise NotFoundError("resource.account")
    return account


async def own_user(scope: Scope, user_id: uuid.UUID) -> AuthUser:
    """The caller's login row (404 when it is gone)."""
    user = await scope.db.get(AuthUser, user_id)
    if user is None:
        raise NotFoundError()
    return user


async def update_user(scope: Scope, user_id: uuid.UUID, changes: dict[str, object]) -> AuthUser:
    """Change the caller's own name, username or picture (a taken username is a 409)."""
    user = await own_user(scope, user_id)
    for name, value in changes.items():
        setattr(user, name, value)
    if "username" in changes:
        user.display_username = user.username
    await scope.db.flush()
    return user


async def forget_customer(scope: Scope, user_id: uuid.UUID, now: dt.datetime) -> None:
    """esensi's part of deleting an account: the customer profile's contact data is scrubbed and
    the profile soft-deleted (its orders stay, its address is free for a new sign-up). Other
    profiles carry public names only (pen names on books) and are just unlinked by rlib."""
    await scope.db.execute(
        update(Customer)
        .where(Customer.id_user == user_id)
        .values(
            name="",
            email="deleted+" + Customer.id.cast(String) + "@invalid",
            whatsapp=None,
            deleted_at=now,
        )
        .execution_options(synchronize_session=False)
    )
