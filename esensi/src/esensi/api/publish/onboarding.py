"""Becoming an author or a publisher from the portal (the auth host's handler, served here too)."""

from __future__ import annotations

from esensi.api.onboarding import Onboarding, OnboardingResult, become_profile
from esensi.services.onboarding import ProfileExistsError
from rlib import Ctx, define_api


@define_api(name="onboarding", url="/onboarding", auth="any", errors=(ProfileExistsError,))
async def onboarding(ctx: Ctx, payload: Onboarding) -> OnboardingResult:
    """Create the caller's author or publisher profile once (409 if taken); rotates the session."""
    return await become_profile(ctx, payload)
