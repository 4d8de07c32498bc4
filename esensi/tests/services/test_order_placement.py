"""place_order and reopen_cart_from_order, called directly on both databases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from esensi.models.promo import PromoCode, PromoCodeUsage
from esensi.models.sales import TSales, TSalesLine
from esensi.services.cart_lines import ItemNotForSaleError, ItemOwnedError
from esensi.services.order_placement import CartEmptyError, place_order, reopen_cart_from_order
from esensi.services.promo_rules import PromoExhaustedError, PromoRefusedError
from factories import make_author
from factories.catalogue import make_bundle, make_customer, make_product, make_publisher
from factories.chapter_site import entitle
from factories.commerce import make_cart, make_promo

NOW = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)


async def _world(db):
    author = await make_author(db)
    customer = await make_customer(db)
    cheap = await make_product(db, author, real_price=Decimal("30000"))
    dear = await make_product(db, author, real_price=Decimal("70000"))
    return customer, cheap, dear


async def _lines(db, order_id):
    rows = await db.scalars(
        select(TSalesLine).where(TSalesLine.id_sales == order_id).order_by(TSalesLine.created_at)
    )
    return list(rows)


async def test_the_cart_becomes_a_pending_order_priced_from_the_database(database):
    async with database.sessionmaker() as db:
        customer, cheap, dear = await _world(db)
        promo = await make_promo(db, discount_value=Decimal(10), usage_limit=5)
        cart = await make_cart(db, customer.id, cheap, dear, promo=promo)
        dear.real_price = Decimal("80000")  # the price changed after the line was added
        await db.commit()
    async with database.sessionmaker() as db:
        order = await place_order(db, customer.id, now=NOW)
        await db.commit()
    assert order.id == cart.id
    assert order.status == "pending"
    assert order.midtrans_order_id.startswith("ESN-")
    assert len(order.midtrans_order_id) == 40
    assert order.checkout_at == NOW
    assert order.expires_at == NOW + dt.timedelta(hours=24)
    assert (order.subtotal, order.discount_total, order.total) == (
        Decimal(110000),
        Decimal(11000),
        Decimal(99000),
    )
    async with database.sessionmaker() as db:
        lines = await _lines(db, order.id)
        used = await db.scalar(select(PromoCode.used_count).where(PromoCode.id == promo.id))
        usage = await db.scalar(select(PromoCodeUsage))
    assert [line.unit_price for line in lines] == [Decimal(30000), Decimal(80000)]
    assert [line.discount_amount for line in lines] == [Decimal(3000), Decimal(8000)]
    assert used == 1
    assert usage.id_sales == order.id
    assert usage.discount_amount == Decimal(11000)


async def test_no_cart_and_an_empty_cart_are_refused(database):
    async with database.sessionmaker() as db:
        customer = await make_customer(db)
        with pytest.raises(CartEmptyError):
            await place_order(db, customer.id, now=NOW)
        await make_cart(db, customer.id)
        with pytest.raises(CartEmptyError):
            await place_order(db, customer.id, now=NOW)


@pytest.mark.parametrize("change", [{"status": "paused"}, {"deleted_at": NOW}])
async def test_an_item_no_longer_sold_is_refused(database, change):
    async with database.sessionmaker() as db:
        customer, cheap, dear = await _world(db)
        bundle = await make_bundle(db, await make_author(db), [cheap])
        await make_cart(db, customer.id, dear, bundle)
        for column, value in change.items():
            setattr(bundle, column, value)
        await db.flush()
        with pytest.raises(ItemNotForSaleError):
            await place_order(db, customer.id, now=NOW)


async def test_an_owned_item_is_refused(database):
    async with database.sessionmaker() as db:
        customer, cheap, dear = await _world(db)
        await make_cart(db, customer.id, cheap, dear)
        await entitle(db, customer.id, dear)
        with pytest.raises(ItemOwnedError):
            await place_order(db, customer.id, now=NOW)


async def test_a_promo_with_no_use_left_is_409_and_reserves_nothing(database):
    async with database.sessionmaker() as db:
        customer, cheap, _ = await _world(db)
        promo = await make_promo(db, usage_limit=1, used_count=1)
        await make_cart(db, customer.id, cheap, promo=promo)
        with pytest.raises(PromoExhaustedError):
            await place_order(db, customer.id, now=NOW)
        assert await db.scalar(select(func.count()).select_from(PromoCodeUsage)) == 0


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": "inactive"}, "promo.inactive"),
        ({"valid_to": NOW}, "promo.ended"),
        ({"min_subtotal": Decimal(100000)}, "promo.min_subtotal"),
    ],
)
async def test_a_promo_that_stopped_applying_fails_checkout_with_its_reason(
    database, change, reason
):
    async with database.sessionmaker() as db:
        customer, cheap, _ = await _world(db)
        promo = await make_promo(db, valid_from=NOW - dt.timedelta(days=2))
        await make_cart(db, customer.id, cheap, promo=promo)
        for column, value in change.items():
            setattr(promo, column, value)
        await db.flush()
        with pytest.raises(PromoRefusedError) as refused:
            await place_order(db, customer.id, now=NOW)
    assert refused.value.reason == reason


async def test_the_per_customer_limit_counts_unreleased_orders(database):
    async with database.sessionmaker() as db:
        customer, cheap, dear = await _world(db)
        promo = await make_promo(db)
        await make_cart(db, customer.id, cheap, promo=promo)
        await place_order(db, customer.id, now=NOW)
        await make_cart(db, customer.id, dear, promo=promo)
        with pytest.raises(PromoRefusedError) as refused:
            await place_order(db, customer.id, now=NOW)
    assert refused.value.reason == "promo.customer_limit"


async def test_a_publisher_code_discounts_only_that_publishers_lines(database):
    async with database.sessionmaker() as db:
        customer, cheap, dear = await _world(db)
        publisher = await make_publisher(db)
        dear.id_publisher = publisher.id
        promo = await make_promo(
            db, id_publisher=publisher.id, discount_type="fixed", discount_value=Decimal(5000)
        )
        await make_cart(db, customer.id, cheap, dear, promo=promo)
        order = await place_order(db, customer.id, now=NOW)
        lines = await _lines(db, order.id)
    assert [line.discount_amount for line in lines] == [Decimal(0), Decimal(5000)]
    assert order.total == Decimal(95000)


async def test_a_failed_order_goes_back_to_a_cart_without_sold_or_owned_items(database):
    async with database.sessionmaker() as db:
        customer, cheap, dear = await _world(db)
        gone = await make_product(db, await make_author(db))
        bundle = await make_bundle(db, await make_author(db), [gone])
        await make_cart(db, customer.id, cheap, dear, gone, bundle, qty=2)
        order = await place_order(db, customer.id, now=NOW)
        order.status = "failed"
        gone.status = "paused"
        await entitle(db, customer.id, cheap)
        await make_cart(db, customer.id, dear)  # the customer started a new cart meanwhile
        await reopen_cart_from_order(db, order)
        cart = await db.scalar(select(TSales).where(TSales.status == "cart"))
        lines = await _lines(db, cart.id)
    assert sorted(str(line.id_product or line.id_bundle) for line in lines) == sorted(
        [str(dear.id), str(bundle.id)]
    )
    assert next(line for line in lines if line.id_bundle).qty == 2


async def test_reopening_creates_the_cart_when_there_is_none(database):
    async with database.sessionmaker() as db:
        customer, cheap, _ = await _world(db)
        await make_cart(db, customer.id, cheap)
        order = await place_order(db, customer.id, now=NOW)
        order.status = "failed"
        await db.flush()
        await reopen_cart_from_order(db, order)
        carts = list(await db.scalars(select(TSales).where(TSales.status == "cart")))
        assert len(carts) == 1
        assert [line.id_product for line in await _lines(db, carts[0].id)] == [cheap.id]
