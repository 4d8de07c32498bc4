"""The expiry job: overdue pending orders end as Midtrans says (the function, as the worker
and ``esensi orders-expire`` call it)."""

import datetime as dt

from payment_helpers import counts, make_pending, make_shop, midtrans_settings
from sqlalchemy import update

from esensi.gateways.midtrans import MidtransClient
from esensi.models.sales import TSales
from esensi.services.order_expiry import expire_overdue
from rlib import Scope
from rlib.db.base import utcnow


async def _overdue(database, *orders):
    async with database.sessionmaker() as db:
        past = utcnow() - dt.timedelta(minutes=1)
        ids = [o.id for o in orders]
        await db.execute(update(TSales).where(TSales.id.in_(ids)).values(expires_at=past))
        await db.commit()


async def _run(database, standin):
    unit = database.unit()
    try:
        client = MidtransClient(midtrans_settings(standin.url))
        return await expire_overdue(Scope(unit), client, now=utcnow())
    finally:
        await unit.close()


async def test_overdue_orders_expire_unless_midtrans_took_the_money(database, standin):
    shop = await make_shop(database)
    waiting = await make_pending(database, shop, standin, shop.own)
    settled = await make_pending(database, shop, standin, shop.published)
    unseen = await make_pending(database, shop, standin, shop.bundle)
    fresh = await make_pending(database, shop, standin, shop.own)
    await _overdue(database, waiting, settled, unseen)
    remote = standin.state.orders[settled.midtrans_order_id]
    remote.transaction_status, remote.status_code = "settlement", "200"
    del standin.state.orders[unseen.midtrans_order_id]
    report = await _run(database, standin)
    assert (report.expired, report.paid, report.unreachable) == (2, 1, 0)
    assert (await counts(database, waiting.id))["status"] == "expired"
    assert (await counts(database, unseen.id))["status"] == "expired"
    assert (await counts(database, settled.id))["status"] == "paid"
    assert (await counts(database, fresh.id))["status"] == "pending"
    mails = (await counts(database, fresh.id))["mails"]
    assert f"payment-expired:{waiting.id}" in mails
    assert f"payment-success:{settled.id}" in mails
    assert (await _run(database, standin)).orders == []  # a second pass finds nothing


async def test_an_unreachable_midtrans_leaves_orders_for_the_next_pass(database, standin):
    shop = await make_shop(database)
    waiting = await make_pending(database, shop, standin, shop.own)
    await _overdue(database, waiting)
    standin.state.status_mode = "down"
    report = await _run(database, standin)
    assert report.unreachable == 1
    assert (await counts(database, waiting.id))["status"] == "pending"
