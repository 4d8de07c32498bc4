"""Deleting one's own account (spec/workflows.md 1.8).

``delete-user`` needs a fresh sign-in and only mails a one-hour confirmation link; following the
link (``delete-user/callback``) deletes. Deletion keeps the ``auth_user`` row, because orders
and ledger rows reference it, but scrubs it: the address becomes ``deleted+<id>@invalid``,
name, username and image are cleared, credentials, provider links, 2FA secrets and pending
links are removed, every session is revoked and every profile is unlinked. The app may forget
more (customer contact data) through :attr:`AuthKit.on_account_deleted`, in the same
transaction. The ``account-deleted`` notice is queued to the old address before it is scrubbed.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from urllib.parse import quote

from sqlalchemy import delete, update
from starlette.responses import RedirectResponse, Response

from rlib.auth import mailer
from rlib.auth.errors import AccountUndeletableError, TokenInvalidError
from rlib.auth.flows import kit_of, normalize_email
from rlib.auth.kit import AuthKit
from rlib.auth.rules import require_fresh
from rlib.auth.schemas import DeleteUser, DeleteUserCallback, DeletionStep
from rlib.auth.sessions import clear_cookie, revoke
from rlib.auth.tables import IdentityColumns
from rlib.auth.tokens import DELETE_ACCOUNT, claim_link, issue_link
from rlib.auth.users import SessionUser, current_user
from rlib.context import Ctx
from rlib.scope import Scope

logger = logging.getLogger("rlib.auth")

# better-auth answers both steps ``{success, message}``; the message in the caller's language.
LINK_SENT = {"id": "Email konfirmasi telah dikirim", "en": "Verification email sent"}
DELETED = {"id": "Akun telah dihapus", "en": "User deleted"}


def _said(ctx: Ctx, message: dict[str, str]) -> str:
    return message.get(str(ctx.lang), message["id"])


async def delete_user(ctx: Ctx, payload: DeleteUser) -> DeletionStep:
    """Mail the caller a link that deletes the account when followed (one hour, single use)."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    require_fresh(ctx, kit)
    callback = kit.check_redirect(payload.callbackURL, field="callbackURL")
    await kit.throttle.take(
        ctx.unit, "send:account:" + normalize_email(me.email), kit.config.throttles.send_account
    )
    refuse_undeletable(kit, me.user_types)
    user = await ctx.db.get(kit.tables.user, me.id)
    if user is None:
        raise TokenInvalidError()
    token = await issue_link(
        ctx, kit, purpose=DELETE_ACCOUNT, user=user, lifetime_s=kit.config.delete_token_s
    )
    context = {"name": user.name, "url": _callback_url(kit, token, callback)}
    await kit.mailer(
        ctx, mailer.AuthEmail(mailer.DELETE_ACCOUNT_CONFIRM, user.email, context, ctx.lang)
    )
    return DeletionStep(success=True, message=_said(ctx, LINK_SENT))


def _callback_url(kit: AuthKit, token: str, callback: str | None) -> str:
    url = kit.base_url() + "/api/auth/delete-user/callback?token=" + token
    return url if callback is None else url + "&callbackURL=" + quote(callback, safe="")


def refuse_undeletable(kit: AuthKit, user_types: frozenset[str]) -> None:
    """409 when the login holds a profile whose link to it may not be cleared (staff)."""
    for name in sorted(user_types):
        user_type = kit.user_types.by_name.get(name)
        if user_type is not None and not user_type.model.id_user.nullable:
            raise AccountUndeletableError()


async def delete_user_callback(ctx: Ctx, payload: DeleteUserCallback) -> DeletionStep | Response:
    """Claim the deletion link and delete; redirect to ``callbackURL`` when given."""
    kit = kit_of(ctx)
    callback = kit.check_redirect(payload.callbackURL, field="callbackURL")
    claimed = await claim_link(ctx, kit, purpose=DELETE_ACCOUNT, token=payload.token)
    user = None if claimed is None else await ctx.db.get(kit.tables.user, claimed.id_user)
    if claimed is None or user is None or user.deleted_at is not None:
        raise TokenInvalidError()
    if user.email != claimed.identifier:
        raise TokenInvalidError()  # the address changed since the link was sent
    profiles, _ = await kit.user_types.load(ctx.db, user.id)
    refuse_undeletable(kit, frozenset(profiles))
    await kit.mailer(
        ctx, mailer.AuthEmail(mailer.ACCOUNT_DELETED, user.email, {"name": user.name}, ctx.lang)
    )
    await delete_account(ctx, kit, user)
    if isinstance(ctx.user, SessionUser) and ctx.user.id == user.id:
        ctx.response_headers["Set-Cookie"] = clear_cookie(secure=kit.secure(ctx))
    if callback is not None:
        return RedirectResponse(callback, status_code=302, headers={"Cache-Control": "no-store"})
    return DeletionStep(success=True, message=_said(ctx, DELETED))


async def delete_account(scope: Scope, kit: AuthKit, user: IdentityColumns) -> None:
    """Scrub ``user`` and cut everything that could sign in as it; business rows stay."""
    now = kit.now()
    tables = kit.tables
    await revoke(scope.db, tables, now=now, user_id=user.id)
    for table in (tables.account, tables.two_factor, tables.verification):
        await scope.db.execute(
            delete(table)
            .where(table.id_user == user.id)
            .execution_options(synchronize_session=False)
        )
    if kit.on_account_deleted is not None:
        await kit.on_account_deleted(scope, user.id, now)
    await _unlink_profiles(scope, kit, user.id)
    _scrub(user, now=now)
    await scope.db.flush()
    logger.info("account deleted", extra={"user": str(user.id)})


async def _unlink_profiles(scope: Scope, kit: AuthKit, user_id: uuid.UUID) -> None:
    for user_type in kit.user_types.by_name.values():
        model = user_type.model
        await scope.db.execute(
            update(model)
            .where(model.id_user == user_id)
            .values(id_user=None)
            .execution_options(synchronize_session=False)
        )


def _scrub(user: IdentityColumns, *, now: dt.datetime) -> None:
    user.email = f"deleted+{user.id}@invalid"
    user.name = ""
    user.username = None
    user.display_username = None
    user.image = None
    user.email_verified = False
    user.two_factor_enabled = False
    user.deleted_at = now
