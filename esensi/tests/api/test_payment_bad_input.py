"""Hostile input to the payment endpoints is a 4xx in the envelope, never a 500."""

import pytest
from payment_helpers import WEBHOOK, make_shop
from staff_helpers import sign_in_staff

from factories import login_as

BAD_ORDER_IDS = [5, True, None, [1], {"a": 1}, "", "x" * 65, "ESN-\u0000", "ESN 1", "é"]


@pytest.mark.parametrize("order_id", BAD_ORDER_IDS)
async def test_bad_order_ids_are_422_everywhere(pay, database, standin, auth, order_id):
    shop = await make_shop(database)
    login_as(auth, shop.customer_user.id, customer=shop.customer.id)
    poll = await pay.post("/api/payment/status", json={"order_id": order_id})
    assert poll.status_code == 422, poll.text
    await sign_in_staff(database, auth, "management")
    manage = await pay.post(
        "/api/internal/payment/manage", json={"order_id": order_id, "action": "status"}
    )
    assert manage.status_code == 422, manage.text
    hook = {"order_id": order_id, "status_code": "200", "gross_amount": "1", "signature_key": "x"}
    assert (await pay.post(WEBHOOK, json=hook)).status_code == 422


@pytest.mark.parametrize(
    "changes",
    [
        {"gross_amount": "1e999999"},
        {"gross_amount": "NaN"},
        {"status_code": "9" * 500},
        {"signature_key": 7},
        {"transaction_status": ["settlement"]},
    ],
)
async def test_odd_webhook_fields_never_500(pay, database, standin, changes):
    hook = {"order_id": "ESN-1", "status_code": "200", "gross_amount": "1", "signature_key": "x"}
    answer = await pay.post(WEBHOOK, json={**hook, **changes})
    assert 400 <= answer.status_code < 500, answer.text
