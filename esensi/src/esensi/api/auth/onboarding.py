"""Becoming an author or a publisher from the auth host."""

from __future__ import annotations

from esensi.api.auth.schemas import Onboarding, OnboardingResult
from esensi.models.enums import ActorType
from esensi.services import onboarding as profiles
from esensi.services.audit import Actor
from rlib import Ctx, define_api
from rlib.auth.flows import kit_of, rotate_session
from rlib.auth.users import current_user


@define_api(name="onboarding", url="/onboarding")
async def onboarding(ctx: Ctx, payload: Onboarding) -> OnboardingResult:
    """Create the caller's author or publisher profile once (409 if taken); rotates the session."""
    me = current_user(ctx)
    # The caller acts as what they are becoming: a login may have no profile yet.
    actor = Actor(me.id, ActorType(payload.role), kit_of(ctx).client_ip(ctx), ctx.request_id)
    profile_id = await profiles.become(
        ctx, actor, user_id=me.id, role=payload.role, name=payload.name
    )
    issued = await rotate_session(ctx)
    return OnboardingResult(role=payload.role, profileId=profile_id, token=issued.token)
