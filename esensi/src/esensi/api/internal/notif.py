"""Staff announcements (``notif_create``): to chosen users, one user type, or everyone.

Support and management only. One statement writes every row (``broadcast``); the recipients'
sockets get them after commit, offline users on their next connect.
"""

from __future__ import annotations

from esensi.api.internal.schemas import NotifCount, NotifCreate
from esensi.services.notifications import broadcast
from rlib import Ctx, ValidationError, define_api
from rlib.errors import FieldError
from rlib.notify import Audience, NotifType

STAFF = ("internal:support", "internal:management")  # spec/endpoints.md §5


@define_api(name="notif_create", url="/notif/create", auth=STAFF)
async def notif_create(ctx: Ctx, payload: NotifCreate) -> NotifCount:
    """Write an announcement for the chosen audience."""
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
