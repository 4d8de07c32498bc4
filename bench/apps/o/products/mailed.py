"""Scenario c_outbox on O: the product create of ``endpoints`` plus one queued mail.

The mail goes through rlib's own path: an ``after`` hook calls ``rlib.mail.send_email``, which
writes an outbox row on the create's own connection, in its transaction (a rolled-back create
queues nothing; ADR 0016). No worker runs in the bench; the rows only measure the enqueue.
"""

from __future__ import annotations

from typing import Any

from bench import contract
from bench.apps.schemas import ProductCreate
from bench.models import PRODUCT_COLUMNS, Outbox, Product
from rlib.context import Ctx
from rlib.crud import crud_handler
from rlib.mail import Mailer
from rlib.mail.api import send_email

MAILER = Mailer(outbox=Outbox, message_id_domain=contract.MAIL_DOMAIN)


async def queue_mail(ctx: Ctx, row: dict[str, Any]) -> None:
    """Queue the new-product mail in the create's own transaction."""
    subject, text = contract.product_mail(row["name"], row["category"], row["price"])
    await send_email(
        ctx,
        mailer=MAILER,
        context=contract.MAIL_CONTEXT,
        to=contract.MAIL_TO,
        subject=subject,
        text=text,
    )


mailed_products = crud_handler(
    Product,
    {
        "name": "mailed_product",
        "url": contract.MAILED_PRODUCTS,
        "auth": "public",
        "fields": list(PRODUCT_COLUMNS),
        "create": {"schema": ProductCreate, "after": queue_mail},
        "delete": {"enabled": False},
        "soft_delete": {"enabled": True},
        "max_page_size": contract.MAX_LIMIT,
    },
)
