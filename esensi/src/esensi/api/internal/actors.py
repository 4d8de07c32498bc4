"""Who is acting, for the audit rows staff writes leave (models.md: every staff write)."""

from __future__ import annotations

from esensi.models.enums import ActorType
from esensi.services import audit
from rlib import Ctx
from rlib.auth.flows import kit_of


def staff_actor(ctx: Ctx) -> audit.Actor:
    """The signed-in staff member, their address and the request id."""
    user = ctx.user
    assert user is not None  # internal endpoints admit signed-in staff only
    return audit.Actor(user.id, ActorType.INTERNAL, kit_of(ctx).client_ip(ctx), ctx.request_id)
