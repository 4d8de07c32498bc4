"""The chapter site's community notifications (review, reply, like, follow), rendered in the
recipient's language (``spec/workflows.md`` section 6) and sent through ``send_notif``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from esensi.models.auth import AuthUser
from esensi.models.enums import NotifType
from esensi.models.notif import Notif
from esensi.services.notifications import send_notif
from rlib import Scope
from rlib.db.base import utcnow

TEXTS: dict[str, tuple[NotifType, dict[str, str]]] = {
    "review": (
        NotifType.COMMENT,
        {"id": "{name} mengulas buku {book}", "en": "{name} reviewed your book {book}"},
    ),
    "reply": (
        NotifType.COMMENT,
        {"id": "{name} membalas ulasan Anda", "en": "{name} replied to your review"},
    ),
    "like": (
        NotifType.LIKE,
        {"id": "{name} menyukai ulasan Anda", "en": "{name} liked your review"},
    ),
    "follow": (
        NotifType.FOLLOW,
        {"id": "{name} mulai mengikuti Anda", "en": "{name} started following you"},
    ),
}


QUIET = dt.timedelta(hours=24)


async def recently_sent(
    scope: Scope, recipient: uuid.UUID, event: str, data: dict[str, str]
) -> bool:
    """Whether ``recipient`` got ``event`` with this ``data`` in the last 24 hours, so an undo
    and redo (unlike and like, unfollow and follow) does not notify them again."""
    kind, _ = TEXTS[event]
    recent = await scope.db.scalars(
        select(Notif.data).where(
            Notif.id_user == recipient,
            Notif.type == kind.value,
            Notif.created_at >= utcnow() - QUIET,
        )
    )
    return any((sent or {}).items() >= data.items() for sent in recent)


async def actor_name(scope: Scope, user_id: uuid.UUID) -> str:
    """The public name of the login who acted, as notifications show it."""
    return await scope.db.scalar(select(AuthUser.name).where(AuthUser.id == user_id)) or ""


async def notify(
    scope: Scope,
    recipient: uuid.UUID,
    event: str,
    *,
    url: str,
    data: dict[str, Any] | None = None,
    **params: str,
) -> None:
    """Store ``event``'s text for ``recipient`` in their language and push it after commit."""
    kind, texts = TEXTS[event]
    locale = await scope.db.scalar(select(AuthUser.locale).where(AuthUser.id == recipient))
    message = texts.get(locale or "id", texts["id"]).format_map(params)
    content = {"type": kind.value, "message": message, "url": url, "data": data}
    await send_notif(scope, recipient, {"notif": content})
