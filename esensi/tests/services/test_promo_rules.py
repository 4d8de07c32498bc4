"""The promo rules and discount arithmetic, without a database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esensi.services.promo_rules import (
    PricedLine,
    PromoRefusedError,
    PromoTerms,
    allocate,
    check,
    discount_for,
    evaluate,
)

NOW = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
PUBLISHER = uuid.uuid4()
TERMS = PromoTerms(
    promo_id=uuid.uuid4(),
    code="HEMAT10",
    discount_type="percentage",
    discount_value=Decimal(10),
    max_discount=None,
    min_subtotal=Decimal(0),
    id_publisher=None,
    status="active",
    valid_from=NOW - dt.timedelta(days=1),
    valid_to=None,
    usage_limit=None,
    used_count=0,
    per_customer_limit=1,
)


def line(total: str, *publishers: uuid.UUID | None) -> PricedLine:
    return PricedLine(uuid.uuid4(), Decimal(total), frozenset(publishers or {None}))


def terms(**changes: object) -> PromoTerms:
    return dataclasses.replace(TERMS, **changes)


cents = st.integers(min_value=0, max_value=10**11).map(lambda c: Decimal(c) / 100)
totals = st.lists(cents, min_size=1, max_size=50)


@pytest.mark.parametrize(
    ("changes", "uses", "reason"),
    [
        ({"status": "inactive"}, 0, "promo.inactive"),
        ({"valid_from": NOW + dt.timedelta(seconds=1)}, 0, "promo.not_started"),
        ({"valid_to": NOW}, 0, "promo.ended"),
        ({"usage_limit": 3, "used_count": 3}, 0, "promo.exhausted"),
        ({"per_customer_limit": 2}, 2, "promo.customer_limit"),
        ({"id_publisher": PUBLISHER}, 0, "promo.scope"),
        ({"min_subtotal": Decimal("100000.01")}, 0, "promo.min_subtotal"),
    ],
)
def test_each_rule_refuses_with_its_reason(changes, uses, reason):
    with pytest.raises(PromoRefusedError) as refused:
        check(terms(**changes), [line("100000")], now=NOW, customer_uses=uses)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    "changes",
    [
        {"valid_from": NOW},
        {"valid_to": NOW + dt.timedelta(seconds=1)},
        {"usage_limit": 3, "used_count": 2},
        {"min_subtotal": Decimal("100000")},
        {"id_publisher": PUBLISHER},
    ],
)
def test_the_edges_of_each_rule_accept(changes):
    check(terms(**changes), [line("100000", PUBLISHER)], now=NOW, customer_uses=0)


def test_min_subtotal_counts_only_eligible_lines():
    lines = [line("90000", PUBLISHER), line("50000")]
    with pytest.raises(PromoRefusedError):
        check(
            terms(id_publisher=PUBLISHER, min_subtotal=Decimal(100000)),
            lines,
            now=NOW,
            customer_uses=0,
        )


def test_a_bundle_is_eligible_only_when_all_its_books_are_the_publishers():
    mixed, own = line("100000", PUBLISHER, None), line("20000", PUBLISHER)
    outcome = evaluate(terms(id_publisher=PUBLISHER), [mixed, own])
    assert outcome.eligible_subtotal == Decimal(20000)
    assert outcome.shares == {own.line_id: Decimal(2000)}


@pytest.mark.parametrize(
    ("changes", "subtotal", "expected"),
    [
        ({}, "100000", "10000"),
        ({"max_discount": Decimal(5000)}, "100000", "5000"),
        ({"discount_value": Decimal("12.5")}, "0.10", "0.01"),  # 0.0125 rounds half up
        ({"discount_type": "fixed", "discount_value": Decimal(25000)}, "100000", "25000"),
        ({"discount_type": "fixed", "discount_value": Decimal(25000)}, "20000", "20000"),
        ({"discount_value": Decimal(100)}, "123.45", "123.45"),
    ],
)
def test_the_discount_amount(changes, subtotal, expected):
    assert discount_for(terms(**changes), Decimal(subtotal)) == Decimal(expected)


def test_the_remainder_goes_to_the_last_line():
    lines = [line("10000"), line("10000"), line("10000")]
    shares = allocate(Decimal(100), lines)
    assert [shares[item.line_id] for item in lines] == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]


def test_a_last_line_too_small_for_the_remainder_passes_it_back():
    lines = [line("0.99"), line("0.99"), line("0.01")]
    shares = allocate(Decimal("1.98"), lines)
    assert [shares[item.line_id] for item in lines] == [
        Decimal("0.98"),
        Decimal("0.99"),
        Decimal("0.01"),
    ]


@given(totals, st.integers(min_value=0, max_value=100))
def test_allocation_sums_exactly_and_stays_within_each_line(amounts, percent):
    lines = [line(str(amount)) for amount in amounts]
    subtotal = sum(amounts, Decimal(0))
    discount = (subtotal * percent / 100).quantize(Decimal("0.01"), "ROUND_DOWN")
    shares = allocate(discount, lines)
    assert sum(shares.values(), Decimal(0)) == (discount if subtotal > 0 else 0)
    for item in lines:
        assert 0 <= shares[item.line_id] <= item.total
        assert shares[item.line_id] == shares[item.line_id].quantize(Decimal("0.01"))


@given(
    cents,
    st.sampled_from(["percentage", "fixed"]),
    st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c) / 100),
    st.none() | cents,
)
def test_a_discount_never_exceeds_the_eligible_subtotal_or_its_cap(subtotal, kind, value, cap):
    if kind == "percentage":
        value = min(value, Decimal(100))
    amount = discount_for(
        terms(discount_type=kind, discount_value=value, max_discount=cap), subtotal
    )
    assert 0 <= amount <= subtotal
    if kind == "percentage" and cap is not None:
        assert amount <= cap
    if kind == "fixed":
        assert amount == min(value, subtotal)
