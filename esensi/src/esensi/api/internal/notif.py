"""Staff announcements (``notif_create``): to chosen users, one user type, or everyone.

Support and management only. One statement writes every row (``broadcast``); the recipients'
sockets get them after commit, offline users on their next connect.
"""

from __future__ import annotations

from esensi.api.internal.schemas import NotifCount, NotifCreate
from esensi.services.notifications import broadcast
from esensi.users import require_staff
from rlib import Ctx, ValidationError, define_api
from rlib.errors import FieldError
from rlib.notify import Audience, NotifType


@define_api(name="notif_create", url="/notif/create")
async def notif_create(ctx: Ctx, payload: NotifCreate) -> NotifCount:
    """Write an announcement for the chosen audience."""
    require_staff(ctx, "support", "management")
    chosen = [payload.user_ids is not None, payload.user_type is not None, payload.everyone]
    if sum(chosen) != 1:
        raise ValidationError([FieldError(loc=("body", "user_ids"), key="notif.one_audience")])
    audience: Audience = payload.user_ids if payload.user_ids is not None else payload.user_type
    content = {
        "type": NotifType.ANNOUNCEMENT.value,
        "message": payload.message,
        "url": payload.url,
        "thumbnail": payload.thumbnail,
    }
    return NotifCount(count=await broadcast(ctx, audience, content))
