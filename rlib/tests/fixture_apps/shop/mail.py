"""Mail through the outbox: a context-bound sender and endpoints that queue messages."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from fixture_apps.shop.models import Outbox
from rlib import ConflictError, Ctx, define_api
from rlib.mail import Mailer, TemplateSet, make_context_sender


class Welcome(BaseModel):
    name: str
    url: str


MAILER = Mailer(
    outbox=Outbox,
    templates=TemplateSet(Path(__file__).parent / "mail_templates", {"welcome": Welcome}),
    message_id_domain="shop.test",
)
send_main_email = make_context_sender("main", mailer=MAILER)


class MailRequest(BaseModel):
    to: list[str]
    name: str | None = None
    lang: str = "id"
    fail: bool = False


@define_api(name="mail_send", url="/mail/send", auth="public")
async def mail_send(ctx: Ctx, payload: MailRequest) -> dict[str, str | None]:
    """Queue a welcome mail (templated when ``name`` is given), then optionally fail."""
    if payload.name is None:
        row_id = await send_main_email(
            ctx, to=payload.to, subject="Halo", html="<p>Halo</p>", text="Halo"
        )
    else:
        row_id = await send_main_email(
            ctx,
            to=payload.to,
            template_alias="welcome",
            template_model={"name": payload.name, "url": "https://shop.test/masuk"},
            lang="en" if payload.lang == "en" else "id",
        )
    if payload.fail:
        raise ConflictError()
    return {"id": str(row_id) if row_id else None}
