"""The webhook while PostgreSQL is unreachable (security M5, issue 18): a 5xx so Midtrans
retries, nothing written, then exactly one transition once the database is back."""

import os

import pytest
from notify_live import CuttableProxy
from payment_helpers import (
    WEBHOOK,
    counts,
    make_pending,
    make_shop,
    midtrans_settings,
    notification,
)
from sqlalchemy.engine import make_url

from esensi.app import build_app
from esensi.settings import Settings
from rlib import DatabaseConfig
from rlib.db.engine import Database
from rlib.testing import app_client

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("ESENSI_TEST_DATABASE_URL"), reason="needs ESENSI_TEST_DATABASE_URL"
    ),
    pytest.mark.parametrize("backend", ["postgresql"]),
]


async def test_database_down_answers_5xx_then_one_transition_after_recovery(
    database, auth, standin
):
    shop = await make_shop(database)
    order = await make_pending(database, shop, standin, shop.own, shop.bundle)
    remote = standin.state.orders[order.midtrans_order_id]
    remote.transaction_status, remote.status_code = "settlement", "200"
    body = notification(remote)

    real = make_url(database.config.url)
    proxy = CuttableProxy(real.host or "127.0.0.1", real.port or 5432)
    await proxy.start()
    proxied = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = Settings(env="test", database_url=proxied, midtrans=midtrans_settings(standin.url))
    app = build_app(settings, authenticator=auth)
    app_database = Database(DatabaseConfig(url=proxied, pool_size=2))
    app.use_database(app_database)
    try:
        async with app_client(app) as pay:
            # The pool is warm before the outage, as in production.
            assert (await pay.get("/api/payment/config")).status_code == 200
            await proxy.cut()
            for _ in range(3):
                answer = await pay.post(WEBHOOK, json=body)
                assert answer.status_code >= 500, answer.text
                assert answer.json()["success"] is False
            assert (await counts(database, order.id))["status"] == "pending"

            await proxy.start()
            answers = [await pay.post(WEBHOOK, json=body) for _ in range(5)]
            assert [a.status_code for a in answers] == [200] * 5, answers[0].text
    finally:
        await proxy.cut()
        await app_database.dispose()

    found = await counts(database, order.id)
    assert found["status"] == "paid"
    assert found["downloads"] == 2
    assert found["ledger"]["sale"][0] == 3
    assert found["notifs"]["payment-success"] == 1
    assert found["mails"] == [f"payment-success:{order.id}"]
