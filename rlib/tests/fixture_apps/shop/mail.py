"""Mail through the outbox: a context-bound sender and endpoints that queue messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from fixture_apps.shop.models import Outbox, Shelf
from rlib import ConflictError, Ctx, define_api
from rlib.crud import crud_handler
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


# Whether the unit's session existed right after each request below queued its mail.
SESSION_AFTER_MAIL: list[bool] = []


class MailAndShelf(BaseModel):
    shelf: str
    order: Literal["mail_first", "db_first"] = "mail_first"
    dedupe_key: str | None = None
    fail: bool = False


@define_api(name="mail_and_shelf", url="/mail/and-shelf", auth="public")
async def mail_and_shelf(ctx: Ctx, payload: MailAndShelf) -> dict[str, str | None]:
    """Queue a mail and add a shelf through ``ctx.db`` in ``order``, then optionally fail."""
    if payload.order == "db_first":
        ctx.db.add(Shelf(name=payload.shelf))
        await ctx.db.flush()
    row_id = await send_main_email(
        ctx, to="a@example.com", subject="Rak", text=payload.shelf, dedupe_key=payload.dedupe_key
    )
    SESSION_AFTER_MAIL.append(ctx.unit.started)
    if payload.order == "mail_first":
        ctx.db.add(Shelf(name=payload.shelf))
        await ctx.db.flush()
    if payload.fail:
        raise ConflictError()
    return {"id": str(row_id) if row_id else None}


class ShelfCreate(BaseModel):
    name: str


async def queue_shelf_mail(ctx: Ctx, row: dict[str, Any]) -> None:
    """Scenario c_outbox in small: the create's ``after`` hook queues one mail."""
    await send_main_email(ctx, to="katalog@example.com", subject="Rak baru", text=row["name"])
    SESSION_AFTER_MAIL.append(ctx.unit.started)


mailed_shelf = crud_handler(
    Shelf,
    {
        "name": "mailed_shelf",
        "url": "/mail/shelves",
        "auth": "public",
        "create": {"schema": ShelfCreate, "after": queue_shelf_mail},
    },
)
