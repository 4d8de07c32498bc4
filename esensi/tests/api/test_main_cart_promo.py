"""Applying and removing a promo code on the cart through HTTP: every rule, on both databases."""

import datetime as dt
from decimal import Decimal

import pytest
from cart_helpers import add, open_shop
from sqlalchemy import select

from esensi.models.promo import PromoCode, PromoCodeUsage
from esensi.models.sales import TSales
from factories.chapter_site import entitle
from factories.commerce import make_promo

NOW = dt.datetime.now(dt.UTC)


async def _promo(database, **values):
    async with database.sessionmaker() as db:
        promo = await make_promo(db, **values)
        await db.commit()
    return promo


async def _apply(client, code):
    return await client.post("/api/cart/promo", json={"code": code})


async def test_a_code_applies_in_any_letter_case_and_shows_the_discount(client, database, auth):
    shop = await open_shop(database, auth)
    await _promo(database, code="HEMAT10", max_discount=Decimal(6000))
    await add(client, shop.novel)
    await add(client, shop.poems)
    response = await _apply(client, "hemat10")
    assert response.status_code == 200, response.json()
    body = response.json()["data"]
    assert (body["promo"]["code"], body["promo"]["discount"]) == ("HEMAT10", "6000.00")
    assert [line["discount_amount"] for line in body["lines"]] == ["3750.00", "2250.00"]
    assert (body["subtotal"], body["total"]) == ("80000.00", "74000.00")
    async with database.sessionmaker() as db:
        assert await db.scalar(select(PromoCode.used_count)) == 0  # nothing reserved


async def test_null_removes_the_code(client, database, auth):
    shop = await open_shop(database, auth)
    await _promo(database, code="HEMAT10")
    await add(client, shop.novel)
    await _apply(client, "HEMAT10")
    response = await _apply(client, None)
    assert response.status_code == 200
    assert response.json()["data"]["promo"] is None
    assert response.json()["data"]["total"] == "50000.00"
    async with database.sessionmaker() as db:
        assert await db.scalar(select(TSales.promo_code)) is None


@pytest.mark.parametrize(
    ("values", "reason", "message"),
    [
        ({"status": "inactive"}, "inactive", "Kode promo tidak aktif"),
        ({"valid_from": NOW + dt.timedelta(hours=1)}, "not_started", "Kode promo belum berlaku"),
        (
            {"valid_from": NOW - dt.timedelta(days=2), "valid_to": NOW - dt.timedelta(days=1)},
            "ended",
            "Masa berlaku kode promo sudah berakhir",
        ),
        ({"usage_limit": 2, "used_count": 2}, "exhausted", "Kode promo sudah habis"),
        (
            {"min_subtotal": Decimal("50000.01")},
            "min_subtotal",
            "Kode promo berlaku untuk belanja minimal Rp50,000",
        ),
    ],
)
async def test_each_rule_refuses_with_a_clear_422(client, database, auth, values, reason, message):
    shop = await open_shop(database, auth)
    await _promo(database, code="HEMAT10", **values)
    await add(client, shop.novel)
    response = await _apply(client, "HEMAT10")
    body = response.json()
    assert response.status_code == 422, body
    assert (body["code"], body["data"], body["message"]) == (
        "promo_refused",
        {"reason": reason},
        message,
    )
    assert body["errors"][0]["field"] == "code"
    async with database.sessionmaker() as db:
        assert await db.scalar(select(TSales.promo_code)) is None


async def test_an_unknown_code_and_an_empty_cart_are_422(client, database, auth):
    shop = await open_shop(database, auth)
    await _promo(database, code="HEMAT10")
    assert (await _apply(client, "HEMAT10")).json()["data"] == {"reason": "scope"}
    await add(client, shop.novel)
    unknown = await _apply(client, "NOPE")
    assert unknown.status_code == 422
    assert unknown.json()["message"] == "Kode promo tidak ditemukan"
    english = await client.post(
        "/api/cart/promo", json={"code": "NOPE"}, headers={"accept-language": "en"}
    )
    assert english.json()["message"] == "Promo code not found"


async def test_the_per_customer_limit_counts_unreleased_uses(client, database, auth):
    shop = await open_shop(database, auth)
    promo = await _promo(database, code="SEKALI")
    async with database.sessionmaker() as db:
        order = TSales(id_customer=shop.customer.id, status="pending", promo_code="SEKALI")
        db.add(order)
        await db.flush()
        usage = PromoCodeUsage(
            id_promo_code=promo.id,
            id_sales=order.id,
            id_customer=shop.customer.id,
            discount_amount=Decimal(1),
        )
        db.add(usage)
        await db.commit()
    await add(client, shop.novel)
    refused = await _apply(client, "SEKALI")
    assert refused.json()["data"] == {"reason": "customer_limit"}
    async with database.sessionmaker() as db:
        (await db.get(PromoCodeUsage, usage.id)).released_at = NOW
        await db.commit()
    assert (await _apply(client, "SEKALI")).status_code == 200


async def test_a_publisher_code_covers_only_that_publishers_lines(client, database, auth):
    shop = await open_shop(database, auth)
    await _promo(
        database,
        code="PENERBIT",
        id_publisher=shop.publisher.id,
        discount_type="fixed",
        discount_value=Decimal(70000),
        min_subtotal=Decimal(40000),
    )
    await add(client, shop.poems)
    assert (await _apply(client, "PENERBIT")).json()["data"] == {"reason": "scope"}
    await add(client, shop.bundle)  # half the publisher's: not covered either
    assert (await _apply(client, "PENERBIT")).json()["data"] == {"reason": "scope"}
    await add(client, shop.novel)
    body = (await _apply(client, "PENERBIT")).json()["data"]
    assert [line["discount_amount"] for line in body["lines"]] == ["0.00", "0.00", "50000.00"]
    assert body["total"] == "120000.00"  # fixed 70 000 capped at the eligible 50 000


async def test_a_code_that_stops_applying_is_shown_with_its_reason(client, database, auth):
    shop = await open_shop(database, auth)
    await _promo(database, code="MIN60", min_subtotal=Decimal(60000))
    await add(client, shop.novel)
    lines = (await add(client, shop.poems)).json()["data"]["lines"]
    assert (await _apply(client, "MIN60")).status_code == 200
    response = await client.post("/api/cart/remove", json={"ids": [lines[1]["id"]]})
    promo = response.json()["data"]["promo"]
    assert (promo["applies"], promo["reason"], promo["discount"]) == (
        False,
        "min_subtotal",
        "0.00",
    )
    assert response.json()["data"]["total"] == "50000.00"


async def test_lines_no_longer_buyable_do_not_count_toward_the_minimum(client, database, auth):
    shop = await open_shop(database, auth)
    await _promo(database, code="MIN60", min_subtotal=Decimal(60000))
    await add(client, shop.novel)
    await add(client, shop.poems)
    async with database.sessionmaker() as db:
        await entitle(db, shop.customer.id, shop.novel)  # bought elsewhere meanwhile
        await db.commit()
    refused = await _apply(client, "MIN60")
    assert refused.json()["data"] == {"reason": "min_subtotal"}
