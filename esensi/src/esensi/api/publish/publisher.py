"""The publisher's own profile."""

from __future__ import annotations

from esensi.api.publish._bank import guard_bank_change
from esensi.api.publish.profile_schemas import PublisherUpdate, PublisherView
from esensi.api.publish.schemas import NoInput
from esensi.models.publisher import Publisher
from esensi.services import profiles
from rlib import Ctx, define_api
from rlib.auth.errors import ReauthRequiredError
from rlib.auth.users import require_profile
from rlib.errors import StaleVersionError, UniqueViolationError


@define_api(
    name="publisher_detail",
    url="/publisher/detail",
    methods=("GET", "POST"),
    auth={"publisher"},
)
async def publisher_detail(ctx: Ctx, payload: NoInput) -> PublisherView:
    """Own publisher profile; of the bank account only the last four digits."""
    found = await profiles.own_profile(ctx, Publisher, require_profile(ctx, "publisher"))
    return PublisherView.of(found)


@define_api(
    name="publisher_update",
    url="/publisher/update",
    auth={"publisher"},
    errors=(ReauthRequiredError, StaleVersionError, UniqueViolationError),
)
async def publisher_update(ctx: Ctx, payload: PublisherUpdate) -> PublisherView:
    """Own publisher profile (name unique); bank fields need a sign-in from the last minutes."""
    publisher = require_profile(ctx, "publisher")
    changes = payload.changes()
    guard_bank_change(ctx, changes)
    found = await profiles.update_own(ctx, Publisher, publisher, changes, version=payload.version)
    return PublisherView.of(found)
