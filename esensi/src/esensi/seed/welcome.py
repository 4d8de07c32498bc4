"""Demo mail: a welcome email per demo customer, queued in the outbox.

``esensi serve`` then delivers them; with the demo's ``file`` transport they land in
``var/mail/`` where a new user can open them. The dedupe key keeps a re-run from queueing twice.
"""

from __future__ import annotations

from sqlalchemy import select

from esensi.emails import Welcome, send_main_email
from esensi.models.customer import Customer
from esensi.seed.world import Seeding
from rlib import Scope

STORE_URL = "http://127.0.0.1:8000"


async def seed_welcome(scope: Scope, seeding: Seeding) -> int:
    """Queue the welcome email of every live customer that has none yet; returns how many."""
    customers = await scope.db.scalars(
        select(Customer).where(Customer.deleted_at.is_(None)).order_by(Customer.email)
    )
    queued = 0
    for customer in customers:
        row_id = await send_main_email(
            scope,
            to=customer.email,
            template_alias="welcome",
            template_model=Welcome(
                name=customer.name, store_url=STORE_URL, library_url=f"{STORE_URL}/library"
            ),
            dedupe_key=f"demo-welcome:{customer.id}",
        )
        queued += row_id is not None
    return queued
