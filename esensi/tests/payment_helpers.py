"""The payment tests' world: the Midtrans stand-in on 127.0.0.1, an app pointed at it, and a
small shop (a customer, a self-published author, a publisher, their products and a bundle).

Import the fixtures into a test module (``from payment_helpers import pay, standin``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
import uvicorn
from live_server import free_port
from sqlalchemy import func, select

from esensi.app import build_app
from esensi.gateways.midtrans import signature
from esensi.models.entitlement import TSalesDownload
from esensi.models.ledger import Transaction
from esensi.models.notif import Notif
from esensi.models.outbox import MailOutbox
from esensi.models.sales import TSales, TSalesLine
from esensi.settings import MidtransSettings, Settings
from esensi.stubs.midtrans import StandInOrder, StandInState, build_standin
from factories import make_author, make_user
from factories.catalogue import make_publisher
from factories.store import make_bundle, make_customer, make_product
from rlib.testing import app_client

SERVER_KEY = "SB-Mid-server-test-key"
WEBHOOK = "/api/midtrans/notification"


@dataclass
class StandIn:
    state: StandInState
    url: str


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    """The stand-in served by uvicorn on a free port of 127.0.0.1, in the test's loop."""
    state = StandInState(server_key=SERVER_KEY, notify_url=f"http://test{WEBHOOK}", delay_s=1.5)
    port = free_port()
    config = uvicorn.Config(
        build_standin(state), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield StandIn(state, f"http://127.0.0.1:{port}")
    server.should_exit = True
    await task


def midtrans_settings(url: str, **overrides: Any) -> MidtransSettings:
    return MidtransSettings(
        server_key=SERVER_KEY,  # type: ignore[arg-type]  # pydantic makes the SecretStr
        client_key="SB-Mid-client-test",
        snap_url=f"{url}/snap/v1",
        api_url=url,
        **overrides,
    )


@pytest.fixture
async def pay(database, auth, standin) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose Midtrans is the stand-in; the stand-in's webhooks reach it."""
    settings = Settings(
        env="test",
        database_url=database.config.url,
        midtrans=midtrans_settings(standin.url, snap_timeout_s=0.5, status_timeout_s=2),
    )
    app = build_app(settings, authenticator=auth)
    app.use_database(database)
    standin.state.notify_transport = httpx.ASGITransport(app=app)
    async with app_client(app) as client:
        yield client


@dataclass
class Shop:
    customer_user: Any
    customer: Any
    author_user: Any
    author: Any
    publisher_user: Any
    publisher: Any
    own: Any  # the author's self-published product, 40 000
    published: Any  # the publisher's product, 60 000
    bundle: Any  # both, 80 000


async def make_shop(database) -> Shop:
    async with database.sessionmaker() as db:
        customer_user = await make_user(db, email_verified=True)
        customer = await make_customer(db, id_user=customer_user.id, name="Sari")
        author_user = await make_user(db)
        author = await make_author(db, id_user=author_user.id)
        publisher_user = await make_user(db)
        publisher = await make_publisher(db, id_user=publisher_user.id)
        own = await make_product(db, author, name="Laut Bercerita", real_price=Decimal(40_000))
        published = await make_product(
            db, author, name="Bumi", id_publisher=publisher.id, real_price=Decimal(60_000)
        )
        bundle = await make_bundle(db, author, [own, published], real_price=Decimal(80_000))
        await db.commit()
    return Shop(
        customer_user,
        customer,
        author_user,
        author,
        publisher_user,
        publisher,
        own,
        published,
        bundle,
    )


async def make_pending(database, shop: Shop, standin: StandIn, *items: Any) -> TSales:
    """A pending order of ``items`` (each at its real price), known to the stand-in."""
    async with database.sessionmaker() as db:
        order_id = f"ESN-{uuid.uuid4()}"
        lines = [
            TSalesLine(
                id_product=item.id if item in (shop.own, shop.published) else None,
                id_bundle=item.id if item is shop.bundle else None,
                unit_price=Decimal(item.real_price),
                total_price=Decimal(item.real_price),
            )
            for item in items
        ]
        total = sum((line.total_price for line in lines), Decimal(0))
        sales = TSales(
            id_customer=shop.customer.id,
            status="pending",
            subtotal=total,
            total=total,
            midtrans_order_id=order_id,
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=24),
        )
        db.add(sales)
        await db.flush()
        for line in lines:
            line.id_sales = sales.id
            db.add(line)
        await db.commit()
    standin.state.orders[order_id] = StandInOrder(order_id, f"{total:.2f}")
    return sales


def notification(order: StandInOrder, **changes: Any) -> dict[str, Any]:
    """The body Midtrans would post for ``order`` (signed; ``changes`` applied after signing
    unless they name ``status_code``/``gross_amount``, which are signed)."""
    body = order.body(SERVER_KEY)
    unsigned = {k: v for k, v in changes.items() if k not in ("sign_amount",)}
    if "sign_amount" in changes:
        body["gross_amount"] = changes["sign_amount"]
        body["signature_key"] = signature(
            order.order_id, order.status_code, changes["sign_amount"], SERVER_KEY
        )
    body.update(unsigned)
    return body


async def counts(database, sales_id: uuid.UUID) -> dict[str, Any]:
    """What a paid order wrote: status, entitlements, ledger rows, notifications, emails."""
    async with database.sessionmaker() as db:
        status = await db.scalar(select(TSales.status).where(TSales.id == sales_id))
        downloads = await db.scalar(select(func.count()).where(TSalesDownload.id_sales == sales_id))
        ledger = (
            await db.execute(
                select(Transaction.type, func.count(), func.sum(Transaction.amount))
                .where(Transaction.id_sales == sales_id)
                .group_by(Transaction.type)
            )
        ).all()
        notifs = (await db.execute(select(Notif.type, func.count()).group_by(Notif.type))).all()
        mails = (await db.execute(select(MailOutbox.dedupe_key))).scalars().all()
    return {
        "status": status,
        "downloads": downloads,
        "ledger": {kind: (n, Decimal(total)) for kind, n, total in ledger},
        "notifs": dict(notifs),
        "mails": sorted(str(m) for m in mails),
    }
