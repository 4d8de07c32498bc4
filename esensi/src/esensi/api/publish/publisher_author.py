"""Publisher ↔ author links: invite, answer, remove, list (spec/workflows.md 2.4)."""

from __future__ import annotations

from esensi.api.publish.link_schemas import (
    LinkAnswer,
    LinkInvite,
    LinkQuery,
    LinkRef,
    LinkRemoved,
    LinkView,
)
from esensi.services import publisher_links
from rlib import Ctx, Page, define_api
from rlib.auth.users import require_profile

ERRORS = (publisher_links.LinkExistsError, publisher_links.LinkNotInvitedError)


@define_api(
    name="publisher_author_create",
    url="/publisher-author/create",
    auth={"publisher"},
    errors=ERRORS,
)
async def publisher_author_create(ctx: Ctx, payload: LinkInvite) -> LinkView:
    """Invite an author (status ``invited``); the author is notified and must accept."""
    publisher = require_profile(ctx, "publisher")
    row = await publisher_links.invite(ctx, publisher, payload.author_id)
    return LinkView.model_validate(dict(row))


@define_api(
    name="publisher_author_accept", url="/publisher-author/accept", auth={"author"}, errors=ERRORS
)
async def publisher_author_accept(ctx: Ctx, payload: LinkAnswer) -> LinkView:
    """Accept or decline an invitation addressed to the caller; the publisher is notified."""
    author = require_profile(ctx, "author")
    row = await publisher_links.answer(ctx, author, payload.id, accept=payload.accept)
    return LinkView.model_validate(dict(row))


@define_api(name="publisher_author_delete", url="/publisher-author/delete")
async def publisher_author_delete(ctx: Ctx, payload: LinkRef) -> LinkRemoved:
    """Remove a link the caller is either side of (the publisher loses access at once)."""
    await publisher_links.remove(ctx, payload.id)
    return LinkRemoved(id=payload.id)


@define_api(name="publisher_author_list", url="/publisher-author/list", methods=("GET", "POST"))
async def publisher_author_list(ctx: Ctx, payload: LinkQuery) -> Page[LinkView]:
    """The caller's links, as publisher or as author, newest first; filter by status."""
    found = await publisher_links.page(
        ctx, status=payload.status, page_no=payload.page, limit=payload.limit
    )
    items = [LinkView.model_validate(dict(row)) for row in found.rows]
    return Page(items=items, page=payload.page, limit=payload.limit, total=found.total)
