"""Staff and notifications: announcements (``notif_create``) to chosen users, one user type,
or everyone, and any user's notifications (``notif_list``, ``notif_update``, ``notif_delete``).

Support and management only. One statement writes every announcement row (``broadcast``); the
recipients' sockets get them after commit, offline users on their next connect. A status
change or a deletion by staff reaches the owner's open sockets the same way.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from esensi.api.internal.actors import staff_actor
from esensi.api.internal.notif_schemas import NotifStatusUpdate
from esensi.api.internal.schemas import NotifCount, NotifCreate
from esensi.models.notif import Notif
from esensi.services import audit, notif_audit
from esensi.services.notifications import broadcast, notifier
from rlib import Ctx, ValidationError, define_api
from rlib.crud import crud_handler, op
from rlib.db.base import utcnow
from rlib.errors import FieldError
from rlib.notify import Audience, NotifStatus, NotifType

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
    count = await broadcast(ctx, audience, content)
    await audit.record(
        ctx,
        staff_actor(ctx),
        action="notif.create",
        entity="notif",
        entity_id=_audience_label(payload),
        after={"type": content["type"], "message": payload.message, "count": count},
    )
    return NotifCount(count=count)


def _audience_label(payload: NotifCreate) -> str:
    if payload.user_ids is not None:
        return f"users:{len(payload.user_ids)}"
    return f"user_type:{payload.user_type}" if payload.user_type else "everyone"


async def _status_changed(ctx: Ctx, changes: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    status = NotifStatus(changes.get("status", row["status"]))
    notifier.announce_status(ctx, row["id_user"], [row["id"]], status)
    after = {**row, "status": status.value}
    await notif_audit.record_changes(ctx, staff_actor(ctx), "notif.update", [(row, after)])
    return {**changes, "read_at": utcnow() if status == NotifStatus.READ else None}


async def _deleted(ctx: Ctx, row: dict[str, Any]) -> None:
    notifier.announce_delete(ctx, row["id_user"], [row["id"]])
    await notif_audit.record_changes(ctx, staff_actor(ctx), "notif.delete", [(row, None)])


async def _bulk_deleted(ctx: Ctx, rows: list[dict[str, Any]]) -> None:
    per_user: dict[Any, list[int]] = defaultdict(list)
    for row in rows:
        per_user[row["id_user"]].append(row["id"])
    for user_id, ids in per_user.items():
        notifier.announce_delete(ctx, user_id, ids)
    changes = [(row, None) for row in rows]
    await notif_audit.record_changes(ctx, staff_actor(ctx), "notif.delete", changes)


# Any user's notifications, newest first (the id is the delivery cursor).
notif = crud_handler(
    Notif,
    {
        "name": "notif",
        "url": "/notif",
        "resource": "resource.notif",
        "auth": STAFF,
        "list": {
            "search_fields": ["message"],
            "filters": {
                "id_user": op.eq,
                "status": op.eq,
                "type": op.eq | op.in_,
                "created_at": op.gte | op.lte,
            },
            "order_by": ["-id"],
            "sortable": ["id", "created_at"],
        },
        "update": {"schema": NotifStatusUpdate, "before": _status_changed},
        "delete": {"before": _deleted},
        "bulk_delete": {"enabled": True, "before": _bulk_deleted},
    },
)
