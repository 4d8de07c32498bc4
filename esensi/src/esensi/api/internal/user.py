"""One login for support and management: its profiles, providers and sessions, no secrets."""

from __future__ import annotations

from sqlalchemy import func, select

from esensi.api.internal.schemas import UserRead, UserRef
from esensi.models.affiliate import Affiliate
from esensi.models.auth import AuthAccount, AuthSession, AuthUser
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.internal import Internal
from esensi.models.publisher import Publisher
from rlib import Ctx, NotFoundError, define_api
from rlib.db.base import utcnow

REVIEWERS = ("internal:support", "internal:management")  # spec/endpoints.md §5
PROFILES = (
    ("customer", Customer),
    ("author", Author),
    ("publisher", Publisher),
    ("internal", Internal),
    ("affiliate", Affiliate),
)


@define_api(name="user_get", url="/user/get", methods=("GET", "POST"), auth=REVIEWERS)
async def user_get(ctx: Ctx, payload: UserRef) -> UserRead:
    """The login with its profile ids, provider names, 2FA flag and live session count."""
    user = await ctx.db.get(AuthUser, payload.id)
    if user is None or user.deleted_at is not None:
        raise NotFoundError("resource.user")
    profiles = {}
    for name, model in PROFILES:
        found = await ctx.db.scalar(select(model.id).where(model.id_user == user.id))
        if found is not None:
            profiles[name] = found
    providers = await ctx.db.scalars(
        select(AuthAccount.id_provider).where(AuthAccount.id_user == user.id).distinct()
    )
    sessions = await ctx.db.scalar(
        select(func.count())
        .select_from(AuthSession)
        .where(
            AuthSession.id_user == user.id,
            AuthSession.revoked_at.is_(None),
            AuthSession.expires_at > utcnow(),
        )
    )
    return UserRead(
        id=user.id,
        name=user.name,
        email=user.email,
        email_verified=user.email_verified,
        username=user.username,
        two_factor_enabled=user.two_factor_enabled,
        profiles=profiles,
        providers=sorted(providers),
        active_sessions=sessions or 0,
        created_at=user.created_at,
    )
