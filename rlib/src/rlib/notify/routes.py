"""HTTP endpoints over the signed-in user's own notifications (``spec/endpoints.md`` section 1).

Every query is scoped to the caller (``WHERE id_user = :me``): another user's id is simply
not found. Changes are pushed to the caller's open sockets after commit (``update-notif``,
``delete-notif``), so other tabs stay in step.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rlib.context import Ctx
from rlib.endpoint import ANY_USER, Endpoint, define_api
from rlib.errors import AuthenticationError
from rlib.notify import store
from rlib.notify.send import Notifier
from rlib.notify.types import NotifOut, NotifStatus

MAX_IDS = 500


class NotifListInput(BaseModel):
    """Filters and the cursor: rows older than ``before_id``, newest first."""

    model_config = ConfigDict(extra="forbid")

    status: NotifStatus | None = None
    type: str | None = Field(default=None, min_length=1, max_length=24)
    before_id: int | None = Field(default=None, ge=1)
    limit: int = Field(default=20, ge=1, le=100)


class NotifReadInput(BaseModel):
    """Mark these of the caller's notifications read (or unread again)."""

    model_config = ConfigDict(extra="forbid")

    ids: list[int] = Field(min_length=1, max_length=MAX_IDS)
    status: NotifStatus = NotifStatus.READ


class NotifIdsInput(BaseModel):
    """Some of the caller's notifications, by id."""

    model_config = ConfigDict(extra="forbid")

    ids: list[int] = Field(min_length=1, max_length=MAX_IDS)


class Count(BaseModel):
    """How many rows an action counted or changed."""

    count: int


def _me(ctx: Ctx) -> Any:
    if ctx.user is None:
        raise AuthenticationError()
    return ctx.user.id


def notif_endpoints(notifier: Notifier) -> list[Endpoint]:
    """The five endpoints of ``notifier``'s table, for the root group."""
    table = notifier.table

    async def notif_list(ctx: Ctx, payload: NotifListInput) -> list[NotifOut]:
        """The caller's notifications, newest first; page with ``before_id`` = the last id."""
        return await store.list_own(
            ctx.db,
            table,
            _me(ctx),
            status=None if payload.status is None else payload.status.value,
            type_=payload.type,
            before_id=payload.before_id,
            limit=payload.limit,
        )

    async def notif_unread_count(ctx: Ctx) -> Count:
        """How many of the caller's notifications are unread."""
        return Count(count=await store.unread_count(ctx.db, table, _me(ctx)))

    async def notif_read(ctx: Ctx, payload: NotifReadInput) -> Count:
        """Mark some of the caller's notifications read or unread."""
        me = _me(ctx)
        changed = await store.mark(ctx.db, table, me, payload.status, payload.ids)
        notifier.announce_status(ctx, me, changed, payload.status)
        return Count(count=len(changed))

    async def notif_read_all(ctx: Ctx) -> Count:
        """Mark every unread notification of the caller read."""
        me = _me(ctx)
        changed = await store.mark(ctx.db, table, me, NotifStatus.READ)
        notifier.announce_status(ctx, me, changed, NotifStatus.READ)
        return Count(count=len(changed))

    async def notif_delete(ctx: Ctx, payload: NotifIdsInput) -> Count:
        """Delete some of the caller's notifications."""
        me = _me(ctx)
        removed = await store.remove(ctx.db, table, me, payload.ids)
        notifier.announce_delete(ctx, me, removed)
        return Count(count=len(removed))

    url = "/api/notif"
    return [
        define_api(name="notif_list", url=f"{url}/list", handler=notif_list, auth=ANY_USER),
        define_api(
            name="notif_unread_count",
            url=f"{url}/unread-count",
            handler=notif_unread_count,
            methods=("GET", "POST"),
            auth=ANY_USER,
        ),
        define_api(name="notif_read", url=f"{url}/read", handler=notif_read, auth=ANY_USER),
        define_api(
            name="notif_read_all", url=f"{url}/read-all", handler=notif_read_all, auth=ANY_USER
        ),
        define_api(name="notif_delete", url=f"{url}/delete", handler=notif_delete, auth=ANY_USER),
    ]
