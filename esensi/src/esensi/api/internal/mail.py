"""The mail outbox for staff: status per message, re-send a failed one, preview a template."""

from __future__ import annotations

from esensi.api.internal.schemas import (
    MailListQuery,
    MailPreview,
    MailPreviewQuery,
    MailRead,
    MailRef,
)
from esensi.emails import templates
from esensi.services import outbox
from rlib import Ctx, Page, define_api
from rlib.mail import UnknownTemplateError

STAFF = ("internal:it", "internal:management")  # spec/endpoints.md §5


@define_api(name="mail_list", url="/mail/list", methods=("GET", "POST"), auth=STAFF)
async def mail_list(ctx: Ctx, payload: MailListQuery) -> Page[MailRead]:
    """Outbox messages, newest first: status, attempts, last error."""
    found = await outbox.list_messages(
        ctx, status=payload.status, page=payload.page, limit=payload.limit
    )
    items = [MailRead.model_validate(row) for row in found.rows]
    return Page(items=items, page=payload.page, limit=payload.limit, total=found.total)


@define_api(name="mail_retry", url="/mail/retry", auth=STAFF)
async def mail_retry(ctx: Ctx, payload: MailRef) -> MailRead:
    """Queue a failed message again (409 unless it failed)."""
    return MailRead.model_validate(await outbox.retry(ctx, message_id=payload.id))


@define_api(
    name="mail_preview",
    url="/mail/preview",
    methods=("GET", "POST"),
    auth=STAFF,
    errors=(UnknownTemplateError,),
)
async def mail_preview(ctx: Ctx, payload: MailPreviewQuery) -> MailPreview:
    """Render a mail template with its sample data."""
    rendered = templates.preview(payload.template, payload.lang)
    return MailPreview(
        template=payload.template,
        lang=payload.lang,
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
    )
