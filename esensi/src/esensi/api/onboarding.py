"""Becoming an author or a publisher: one implementation behind two endpoints
(``/api/auth/onboarding`` and ``/api/publish/onboarding``, spec/endpoints.md 4 and 6), so both
answer identically."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from esensi.models.enums import ActorType
from esensi.services import onboarding as profiles
from esensi.services.audit import Actor
from rlib import Ctx
from rlib.auth.flows import kit_of, rotate_session
from rlib.auth.users import current_user


class Onboarding(BaseModel):
    """Become an author or a publisher (once each)."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["author", "publisher"]
    name: str | None = Field(default=None, min_length=1, max_length=255)


class OnboardingResult(BaseModel):
    """The new profile and the rotated session token (the old token no longer works)."""

    role: str
    profileId: uuid.UUID
    token: str


async def become_profile(ctx: Ctx, payload: Onboarding) -> OnboardingResult:
    """The caller gets the profile (409 if it exists), audited, and a rotated session."""
    me = current_user(ctx)
    # The caller acts as what they are becoming: a login may have no profile yet.
    actor = Actor(me.id, ActorType(payload.role), kit_of(ctx).client_ip(ctx), ctx.request_id)
    profile_id = await profiles.become(
        ctx, actor, user_id=me.id, role=payload.role, name=payload.name
    )
    issued = await rotate_session(ctx)
    return OnboardingResult(role=payload.role, profileId=profile_id, token=issued.token)
