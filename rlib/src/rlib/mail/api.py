"""``send_email`` and context-bound senders: validate, render, write an outbox row, ring the worker.

Nothing is sent here. The row is written in the caller's transaction and the in-process worker
is woken only after that transaction commits, so a rolled-back request queues nothing and a
request never waits for (or fails because of) an SMTP server.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pydantic
from email_validator import EmailNotValidError, validate_email

from rlib.errors import FieldError, ValidationError
from rlib.i18n import DEFAULT_LANG, Lang, Messages
from rlib.mail.outbox import OutboxMixin, enqueue, enqueue_many
from rlib.mail.templates import TemplateSet
from rlib.scope import Scope

MAIL_MESSAGES: Messages = {
    "v.email_address": {
        "id": "Alamat email tidak valid",
        "en": "Invalid email address",
    },
    "v.email_content": {
        "id": "Email harus memiliki subjek dan isi",
        "en": "An email needs a subject and a body",
    },
    "mail.template_not_found": {
        "id": "Template email {alias} tidak ditemukan",
        "en": "Email template {alias} not found",
    },
}

TemplateModel = pydantic.BaseModel | Mapping[str, Any]


class Mailer:
    """What enqueueing needs: the app's outbox table, its templates and the worker wake-up.

    Workers in this process subscribe an event; :meth:`ring` sets them after a commit.
    """

    def __init__(
        self,
        *,
        outbox: type[OutboxMixin],
        templates: TemplateSet | None = None,
        message_id_domain: str = "localhost",
    ) -> None:
        self.outbox = outbox
        self.templates = templates
        self.message_id_domain = message_id_domain
        self._bells: set[asyncio.Event] = set()

    def subscribe(self, bell: asyncio.Event) -> None:
        """Have :meth:`ring` set ``bell`` (a worker waiting for work)."""
        self._bells.add(bell)

    def unsubscribe(self, bell: asyncio.Event) -> None:
        """Stop ringing ``bell``."""
        self._bells.discard(bell)

    def ring(self) -> None:
        """Wake every subscribed worker of this process."""
        for bell in self._bells:
            bell.set()


async def send_email(
    scope: Scope,
    *,
    mailer: Mailer,
    context: str,
    to: str | Sequence[str],
    subject: str | None = None,
    html: str | None = None,
    text: str | None = None,
    template_alias: str | None = None,
    template_model: TemplateModel | None = None,
    lang: Lang = DEFAULT_LANG,
    headers: Mapping[str, str] | None = None,
    dedupe_key: str | None = None,
) -> uuid.UUID | None:
    """Queue one email in ``scope``'s transaction; the worker sends it after commit.

    Give either ``subject`` with ``html`` and/or ``text``, or ``template_alias`` with
    ``template_model`` (validated against the alias's model, rendered now in ``lang``).

    Returns:
        The outbox row id, or None when ``dedupe_key`` was queued before.

    Raises:
        ValidationError: an invalid address, a template model missing a field, or no content.
        UnknownTemplateError: no template with ``template_alias``.
    """
    recipients = normalise_addresses(to)
    values: dict[str, object] = {
        "context": context,
        "to_addrs": recipients,
        "locale": lang,
        "headers": dict(headers) if headers else None,
        "dedupe_key": dedupe_key,
    }
    if template_alias is not None:
        values.update(_render(mailer, template_alias, template_model or {}, lang))
    else:
        if not subject or not (html or text):
            raise ValidationError([FieldError(loc=("subject",), key="v.email_content")])
        values.update(subject=subject, html=html, text=text)
    row_id = await enqueue(
        scope, mailer.outbox, values=values, message_id_domain=mailer.message_id_domain
    )
    if row_id is not None:
        scope.on_commit(mailer.ring)
    return row_id


@dataclass(frozen=True, slots=True)
class BatchEmail:
    """One recipient's message of :func:`send_email_batch`: its own address, model, language."""

    to: str | Sequence[str]
    template_model: TemplateModel
    lang: Lang = DEFAULT_LANG
    dedupe_key: str | None = None


async def send_email_batch(
    scope: Scope,
    *,
    mailer: Mailer,
    context: str,
    template_alias: str,
    messages: Sequence[BatchEmail],
) -> list[uuid.UUID]:
    """Queue one templated email per message with a single multi-row insert (e.g. a notice to
    every follower); each is validated and rendered like :func:`send_email`.

    Returns:
        The ids of the rows queued; a message whose ``dedupe_key`` was queued before is skipped.

    Raises:
        ValidationError: an invalid address (under ``messages.<i>.to``) or template model.
        UnknownTemplateError: no template with ``template_alias``.
    """
    rows = []
    for index, message in enumerate(messages):
        try:
            recipients = normalise_addresses(message.to)
        except ValidationError as exc:
            raise ValidationError(
                [replace(e, loc=("messages", index, *e.loc)) for e in exc.errors]
            ) from exc
        rows.append(
            {
                "context": context,
                "to_addrs": recipients,
                "locale": message.lang,
                "headers": None,
                "dedupe_key": message.dedupe_key,
                **_render(mailer, template_alias, message.template_model, message.lang),
            }
        )
    ids = await enqueue_many(
        scope, mailer.outbox, rows=rows, message_id_domain=mailer.message_id_domain
    )
    if ids:
        scope.on_commit(mailer.ring)
    return ids


def _render(mailer: Mailer, alias: str, model: TemplateModel, lang: Lang) -> dict[str, object]:
    if mailer.templates is None:
        raise LookupError("this mailer has no templates")
    valid = mailer.templates.validate(alias, model)
    rendered = mailer.templates.render(alias, valid, lang)
    return {
        "subject": rendered.subject,
        "html": rendered.html,
        "text": rendered.text,
        "template_alias": alias,
        "template_model": valid.model_dump(mode="json"),
    }


def normalise_addresses(to: str | Sequence[str]) -> list[str]:
    """Validate and normalise recipient addresses (syntax only, no DNS).

    Raises:
        ValidationError: 422 naming each bad address's position under ``to``.
    """
    items = [to] if isinstance(to, str) else list(to)
    if not items:
        raise ValidationError([FieldError(loc=("to",), key="v.email_address")])
    normalised: list[str] = []
    errors: list[FieldError] = []
    for index, address in enumerate(items):
        found = _normalise_one(address) if isinstance(address, str) else None
        if found is None:
            errors.append(FieldError(loc=("to", index), key="v.email_address"))
        else:
            normalised.append(found)
    if errors:
        raise ValidationError(errors)
    return normalised


@functools.lru_cache(maxsize=4096)
def _normalise_one(address: str) -> str | None:
    # Syntax only, so the answer never changes: cached, since validating cost about 90 µs of a
    # queued mail's CPU (bench c_outbox) and the same recipients come back again and again.
    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


class ContextSender:
    """``send_email`` bound to one mail context (and so to that context's accounts)."""

    def __init__(self, context: str, *, mailer: Mailer) -> None:
        self.context = context
        self.mailer = mailer

    async def __call__(
        self,
        scope: Scope,
        *,
        to: str | Sequence[str],
        subject: str | None = None,
        html: str | None = None,
        text: str | None = None,
        template_alias: str | None = None,
        template_model: TemplateModel | None = None,
        lang: Lang = DEFAULT_LANG,
        headers: Mapping[str, str] | None = None,
        dedupe_key: str | None = None,
    ) -> uuid.UUID | None:
        """Queue an email in this context; see :func:`send_email`."""
        return await send_email(
            scope,
            mailer=self.mailer,
            context=self.context,
            to=to,
            subject=subject,
            html=html,
            text=text,
            template_alias=template_alias,
            template_model=template_model,
            lang=lang,
            headers=headers,
            dedupe_key=dedupe_key,
        )

    async def batch(
        self, scope: Scope, *, template_alias: str, messages: Sequence[BatchEmail]
    ) -> list[uuid.UUID]:
        """Queue one templated email per message in this context; see
        :func:`send_email_batch`."""
        return await send_email_batch(
            scope,
            mailer=self.mailer,
            context=self.context,
            template_alias=template_alias,
            messages=messages,
        )


def make_context_sender(context: str, *, mailer: Mailer) -> ContextSender:
    """A sender whose messages go out through ``context``'s accounts, in failover order."""
    return ContextSender(context, mailer=mailer)
