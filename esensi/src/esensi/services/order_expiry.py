"""The expiry job (spec/workflows.md §4.4 step 8): pending orders past ``expires_at`` end as
Midtrans says — paid if the money came after all, else expired — one order per transaction.

``esensi serve`` runs :class:`ExpiryHooks` every ``ESENSI_MIDTRANS__EXPIRY_INTERVAL_S``;
``esensi orders expire`` runs one pass; tests call :func:`expire_overdue`.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select

from esensi.gateways.midtrans import GatewayRejected, GatewayUnavailable, MidtransClient
from esensi.models.enums import ActorType, SalesStatus
from esensi.models.sales import TSales
from esensi.services import audit
from esensi.services.order_state import Change, transition
from esensi.services.payment_sync import OrderRef, apply_status, find_order
from esensi.settings import MidtransSettings
from rlib import Scope
from rlib.db.base import utcnow
from rlib.db.engine import Database

logger = logging.getLogger("esensi.orders")
SYSTEM = audit.Actor(None, ActorType.SYSTEM)


@dataclass
class ExpiryReport:
    expired: int = 0
    paid: int = 0
    unreachable: int = 0
    other: int = 0
    orders: list[str] = field(default_factory=list)


async def expire_overdue(
    scope: Scope, client: MidtransClient, *, now: dt.datetime, limit: int = 200
) -> ExpiryReport:
    """Confirm each overdue pending order with Midtrans and end it; never holds a lock while
    waiting for Midtrans. An unreachable Midtrans leaves the order for the next pass."""
    async with scope.unit.transaction():
        due = (
            (
                await scope.db.execute(
                    select(TSales.midtrans_order_id)
                    .where(
                        TSales.status == SalesStatus.PENDING.value,
                        TSales.expires_at < now,
                        TSales.midtrans_order_id.is_not(None),
                        TSales.deleted_at.is_(None),
                    )
                    .order_by(TSales.expires_at)
                    .limit(limit)
                )
            )
            .scalars()
            .all()
        )
    report = ExpiryReport()
    for order_id in due:
        async with scope.unit.transaction():
            order = await find_order(scope, str(order_id))
        if order is not None and order.status == SalesStatus.PENDING:
            await _end(scope, client, order, now, report)
    return report


async def _end(
    scope: Scope, client: MidtransClient, order: OrderRef, now: dt.datetime, report: ExpiryReport
) -> None:
    try:
        status = await client.status(order.order_id)
    except GatewayUnavailable:
        report.unreachable += 1
        return
    except GatewayRejected:
        status = None  # Midtrans never saw a payment for it
    async with scope.unit.transaction():
        if status is None or status.transaction_status == "pending":
            moved = await transition(
                scope, order.id, Change(to=SalesStatus.EXPIRED), now=now, actor=SYSTEM
            )
            outcome = "applied" if moved is not None else "ignored"
        else:
            outcome = await apply_status(scope, order, status, now=now, actor=SYSTEM)
    final = status.transaction_status if status is not None else "expire"
    if outcome != "applied":
        report.other += 1
    elif final in ("settlement", "capture"):
        report.paid += 1
    else:
        report.expired += 1
    report.orders.append(order.order_id)


class _HasDatabase(Protocol):
    @property
    def database(self) -> Database: ...


class ExpiryHooks:
    """``on_startup`` / ``on_shutdown`` hooks running :func:`expire_overdue` periodically."""

    def __init__(self, settings: MidtransSettings) -> None:
        self.settings = settings
        self.task: asyncio.Task[None] | None = None

    async def start(self, app: _HasDatabase) -> None:
        if self.settings.expiry_interval_s > 0:
            self.task = asyncio.create_task(self._loop(app.database))

    async def stop(self, app: _HasDatabase) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None

    async def _loop(self, database: Database) -> None:
        client = MidtransClient(self.settings)
        while True:
            await asyncio.sleep(self.settings.expiry_interval_s)
            unit = database.unit()
            try:
                await expire_overdue(Scope(unit), client, now=utcnow())
            except Exception:  # a bad pass is logged; the next one tries again
                logger.exception("order expiry pass failed")
            finally:
                await unit.close()
