"""The caller's own login: read it, edit name/username/picture, list sign-in methods.

Only the caller's rows are reachable; nothing here looks a user up by email or username.
"""

from __future__ import annotations

from esensi.api.auth.schemas import AccountQuery, AccountView, UserDetail, UserUpdate
from esensi.models.auth import AuthAccount
from esensi.services import accounts
from rlib import Ctx, define_api
from rlib.auth.flows import kit_of
from rlib.auth.revocation import list_sessions
from rlib.auth.schemas import Done, UserView
from rlib.auth.signin import user_view
from rlib.auth.users import current_user
from rlib.auth.wire import BETTER_AUTH

READ = ("GET", "POST")


def _account(row: AuthAccount) -> AccountView:
    return AccountView(
        id=row.id,
        providerId=row.id_provider,
        accountId=row.id_account,
        scope=row.scope,
        createdAt=row.created_at,
    )


@define_api(name="auth_user", url="/user", methods=READ)
async def auth_user(ctx: Ctx) -> UserView:
    """The caller's own user."""
    me = current_user(ctx)
    return user_view(kit_of(ctx), await accounts.own_user(ctx, me.id), me)


@define_api(name="user_detail", url="/user/detail", methods=READ)
async def user_detail(ctx: Ctx) -> UserDetail:
    """The caller's user, sign-in methods and live sessions (no tokens or secrets)."""
    me = current_user(ctx)
    user = await accounts.own_user(ctx, me.id)
    rows = await accounts.own_accounts(ctx, me.id)
    return UserDetail(
        user=user_view(kit_of(ctx), user, me),
        accounts=[_account(row) for row in rows],
        sessions=await list_sessions(ctx),
    )


@define_api(name="user_update", url="/user/update")
async def user_update(ctx: Ctx, payload: UserUpdate) -> UserView:
    """Change the caller's name, username or picture (email and verification are not writable)."""
    me = current_user(ctx)
    changes = payload.model_dump(exclude_unset=True, exclude_none=True)
    return user_view(kit_of(ctx), await accounts.update_user(ctx, me.id, changes), me)


@define_api(name="update_user", url="/update-user", wire=BETTER_AUTH)
async def update_user(ctx: Ctx, payload: UserUpdate) -> Done:
    """better-auth's ``update-user``: the same change as ``user/update``, answered
    ``{status: true}`` (its client reads the user back through ``get-session``)."""
    me = current_user(ctx)
    await accounts.update_user(
        ctx, me.id, payload.model_dump(exclude_unset=True, exclude_none=True)
    )
    return Done(status=True)


@define_api(name="account_list", url="/account/list", methods=READ)
async def account_list(ctx: Ctx) -> list[AccountView]:
    """The caller's sign-in methods."""
    return [_account(row) for row in await accounts.own_accounts(ctx, current_user(ctx).id)]


@define_api(name="account_detail", url="/account/detail", methods=READ)
async def account_detail(ctx: Ctx, payload: AccountQuery) -> AccountView:
    """One of the caller's sign-in methods (404 for another user's)."""
    return _account(await accounts.own_account(ctx, current_user(ctx).id, payload.id))
