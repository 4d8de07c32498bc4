"""Turning a validated provider identity into a login (spec/workflows.md 1.6, security.md K1).

An identity is keyed by (provider, subject), never by email. A first sign-in attaches to the
login with the same email only when the provider vouches for the address (``email_verified``);
an unverified provider email never links an existing login. With no login of that email a new
one is created. ``link-social`` attaches the identity to the signed-in login instead.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy import delete, func, select

from rlib.auth.attempts import CREDENTIAL
from rlib.auth.errors import LastSignInMethodError
from rlib.auth.flows import normalize_email
from rlib.auth.kit import AuthKit
from rlib.auth.oidc import Identity, OidcFailure
from rlib.auth.sessions import revoke
from rlib.auth.tables import AccountColumns, IdentityColumns
from rlib.auth.tokens import CHANGE_EMAIL, EMAIL_VERIFICATION, PASSWORD_RESET, invalidate
from rlib.errors import NotFoundError
from rlib.scope import Scope

logger = logging.getLogger("rlib.auth")

NAME_MAX = 255
IMAGE_MAX = 512
SUBJECT_MAX = 255


async def login_for(
    scope: Scope, kit: AuthKit, provider: str, identity: Identity
) -> IdentityColumns:
    """The login to sign in for ``identity``: its linked one, the one of its verified email
    (linked now), or a new one.

    Raises:
        OidcFailure: ``oauth_email_missing``, ``oauth_email_unverified`` (an existing login has
            that email but the provider does not vouch for it), ``oauth_account_disabled``.
    """
    _check_subject(identity)
    account = await _account(scope, kit, provider, identity.subject)
    if account is not None:
        user = await scope.db.get(kit.tables.user, account.id_user)
        if user is None or user.deleted_at is not None:
            raise OidcFailure("oauth_account_disabled")
        return user
    if identity.email is None:
        raise OidcFailure("oauth_email_missing")
    email = normalize_email(identity.email)
    u = kit.tables.user
    existing = await scope.db.scalar(select(u).where(func.lower(u.email) == email))
    if existing is None:
        return await _create(scope, kit, provider, identity, email)
    if not identity.email_verified:
        raise OidcFailure("oauth_email_unverified")
    if existing.deleted_at is not None:
        raise OidcFailure("oauth_account_disabled")
    await _adopt(scope, kit, existing)
    await _add_account(scope, kit, existing.id, provider, identity.subject)
    logger.info("social account linked by email", extra={"user": str(existing.id)})
    return existing


async def link_identity(
    scope: Scope, kit: AuthKit, provider: str, identity: Identity, user_id: uuid.UUID
) -> None:
    """Attach ``identity`` to ``user_id`` (link-social); linking it again is a no-op.

    Raises:
        OidcFailure: ``oauth_account_taken`` (linked to another login) or
            ``oauth_provider_linked`` (the login already has another account of this provider).
    """
    _check_subject(identity)
    account = await _account(scope, kit, provider, identity.subject)
    if account is not None:
        if account.id_user != user_id:
            raise OidcFailure("oauth_account_taken")
        return
    a = kit.tables.account
    other = await scope.db.scalar(
        select(a.id).where(a.id_user == user_id, a.id_provider == provider)
    )
    if other is not None:
        raise OidcFailure("oauth_provider_linked")
    await _add_account(scope, kit, user_id, provider, identity.subject)
    logger.info("social account linked", extra={"user": str(user_id), "provider": provider})


async def unlink(
    scope: Scope, kit: AuthKit, user_id: uuid.UUID, provider: str, account_id: str | None
) -> None:
    """Remove one of the login's accounts (``credential`` is the password).

    Raises:
        NotFoundError: the login has no such account.
        LastSignInMethodError: it is the login's only way to sign in.
    """
    a = kit.tables.account
    accounts = list(await scope.db.scalars(select(a).where(a.id_user == user_id)))
    target = next(
        (
            row
            for row in accounts
            if row.id_provider == provider and account_id in (None, row.id_account)
        ),
        None,
    )
    if target is None:
        raise NotFoundError("resource.account")
    # A credential row without a password (never set) is no way to sign in.
    others = [row for row in accounts if row is not target and _usable(row)]
    if not others:
        raise LastSignInMethodError()
    await scope.db.execute(delete(a).where(a.id == target.id))
    logger.info("account unlinked", extra={"user": str(user_id), "provider": provider})


def _usable(account: AccountColumns) -> bool:
    return account.id_provider != CREDENTIAL or account.password is not None


def _check_subject(identity: Identity) -> None:
    if not identity.subject or len(identity.subject) > SUBJECT_MAX:
        raise OidcFailure("oauth_id_token_invalid", "subject missing or too long")


async def _account(
    scope: Scope, kit: AuthKit, provider: str, subject: str
) -> AccountColumns | None:
    a = kit.tables.account
    return await scope.db.scalar(
        select(a).where(a.id_provider == provider, a.id_account == subject)
    )


async def _add_account(
    scope: Scope, kit: AuthKit, user_id: uuid.UUID, provider: str, subject: str
) -> None:
    # No provider tokens are stored: the ID token is read once at sign-in and no provider API
    # is called later, so there is nothing worth keeping (the columns stay empty).
    scope.db.add(kit.tables.account(id_user=user_id, id_provider=provider, id_account=subject))
    await scope.db.flush()


async def _adopt(scope: Scope, kit: AuthKit, user: IdentityColumns) -> None:
    """Take over a login whose email nobody had proven: the provider just proved it, so a
    password or session set up by whoever registered the address first must not survive
    (pre-account-hijacking)."""
    if user.email_verified:
        return
    a = kit.tables.account
    await scope.db.execute(delete(a).where(a.id_user == user.id, a.id_provider == CREDENTIAL))
    await revoke(scope.db, kit.tables, now=kit.now(), user_id=user.id)
    purposes = (PASSWORD_RESET, EMAIL_VERIFICATION, CHANGE_EMAIL)
    await invalidate(scope, kit, user_id=user.id, purposes=purposes)
    user.email_verified = True
    await scope.db.flush()
    logger.info(
        "unverified login adopted by a verified provider email", extra={"user": str(user.id)}
    )


async def _create(
    scope: Scope, kit: AuthKit, provider: str, identity: Identity, email: str
) -> IdentityColumns:
    name = (identity.name or email.split("@", 1)[0])[:NAME_MAX]
    picture = identity.picture if identity.picture and len(identity.picture) <= IMAGE_MAX else None
    user = kit.tables.user(
        name=name, email=email, email_verified=identity.email_verified, image=picture
    )
    scope.db.add(user)
    await scope.db.flush()
    await _add_account(scope, kit, user.id, provider, identity.subject)
    if kit.on_new_login is not None:
        await kit.on_new_login(scope, user_id=user.id, name=name, email=email)
    logger.info("login created by social sign-in", extra={"user": str(user.id)})
    return user
