"""Role flags of the caller."""

from __future__ import annotations

from esensi.api.auth.schemas import RoleQuery
from esensi.services import accounts
from rlib import Ctx, define_api
from rlib.auth.users import current_user


@define_api(name="role_check", url="/role-check")
async def role_check(ctx: Ctx, payload: RoleQuery) -> dict[str, bool]:
    """For each requested role, whether the caller has that profile (never another user's)."""
    owned = await accounts.profile_types(ctx, current_user(ctx).id)
    return {role: role in owned for role in payload.roles}
