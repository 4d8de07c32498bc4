"""Reserving and releasing promo uses: the last use under concurrency, release exactly once."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from decimal import Decimal

import pytest
from sqlalchemy import select

from esensi.models.promo import PromoCode, PromoCodeUsage
from esensi.models.sales import TSales
from esensi.services.order_placement import place_order
from esensi.services.promo_rules import PromoExhaustedError
from esensi.services.promo_usage import release_promo_usage
from factories import make_author
from factories.catalogue import make_customer, make_product
from factories.commerce import make_cart, make_promo

NOW = dt.datetime(2026, 12, 6, 3, 0, tzinfo=dt.UTC)


async def _used(database, promo_id):
    async with database.sessionmaker() as db:
        return await db.scalar(select(PromoCode.used_count).where(PromoCode.id == promo_id))


async def test_release_gives_the_use_back_once(database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        customer = await make_customer(db)
        promo = await make_promo(db, usage_limit=3)
        await make_cart(db, customer.id, await make_product(db, author), promo=promo)
        order = await place_order(db, customer.id, now=NOW)
        await db.commit()
    assert await _used(database, promo.id) == 1
    for _ in range(2):
        async with database.sessionmaker() as db:
            await release_promo_usage(db, order.id, now=NOW + dt.timedelta(hours=24))
            await db.commit()
    assert await _used(database, promo.id) == 0
    async with database.sessionmaker() as db:
        usage = await db.scalar(select(PromoCodeUsage))
    assert usage.released_at == NOW + dt.timedelta(hours=24)


async def test_releasing_an_order_without_a_code_changes_nothing(database):
    async with database.sessionmaker() as db:
        customer = await make_customer(db)
        promo = await make_promo(db, usage_limit=3, used_count=2)
        order = await make_cart(db, customer.id)
        await release_promo_usage(db, order.id, now=NOW)
        await db.commit()
    assert await _used(database, promo.id) == 2


async def test_a_released_use_lets_the_customer_use_the_code_again(database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        customer = await make_customer(db)
        promo = await make_promo(db, usage_limit=1)
        await make_cart(db, customer.id, await make_product(db, author), promo=promo)
        first = await place_order(db, customer.id, now=NOW)
        first.status = "expired"
        await release_promo_usage(db, first.id, now=NOW)
        await make_cart(db, customer.id, await make_product(db, author), promo=promo)
        second = await place_order(db, customer.id, now=NOW)
        assert second.discount_total == Decimal(5000)


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("ESENSI_TEST_DATABASE_URL"), reason="needs ESENSI_TEST_DATABASE_URL"
)
@pytest.mark.parametrize("backend", ["postgresql"])
async def test_two_checkouts_racing_for_the_last_use_one_wins(database):
    async with database.sessionmaker() as db:
        author = await make_author(db)
        product = await make_product(db, author)
        promo = await make_promo(db, usage_limit=2, used_count=1)
        customers = [await make_customer(db) for _ in range(2)]
        for customer in customers:
            await make_cart(db, customer.id, product, promo=promo)
        await db.commit()
    both_read = asyncio.Barrier(2)

    async def checkout(customer_id):
        async with database.sessionmaker() as db:
            # Both sessions see one use left before either reserves it.
            assert await db.scalar(select(PromoCode.used_count)) == 1
            await both_read.wait()
            try:
                await place_order(db, customer_id, now=NOW)
            except PromoExhaustedError:
                await db.rollback()
                return "exhausted"
            await db.commit()
            return "placed"

    outcomes = await asyncio.gather(*(checkout(c.id) for c in customers))
    assert sorted(outcomes) == ["exhausted", "placed"]
    assert await _used(database, promo.id) == 2
    async with database.sessionmaker() as db:
        statuses = sorted(await db.scalars(select(TSales.status)))
        usages = list(await db.scalars(select(PromoCodeUsage)))
    assert statuses == ["cart", "pending"]
    assert len(usages) == 1
