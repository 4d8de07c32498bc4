"""The plan of the demo orders: carts and orders in every status, with lines and promo codes.

Pure planning (no database): the sales, library, finance and notice steps all read it. A customer's
carts and orders never share a product, so entitlements stay unique per customer and product.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from esensi.models.enums import SalesStatus
from esensi.seed.bundles import BundlePlan
from esensi.seed.catalog import BookPlan
from esensi.seed.clock import at
from esensi.seed.keys import rng, seed_id
from esensi.seed.people import CustomerPlan
from esensi.seed.promos import ESENSI10, HABIS, HEMAT15K, NUSANTARA20, Promo

S = SalesStatus
# Checked-out orders of a block take their status from this cycle: every status appears.
STATUS_CYCLE: tuple[SalesStatus, ...] = (
    S.PAID,
    S.PAID,
    S.PENDING,
    S.PAID,
    S.EXPIRED,
    S.PAID,
    S.CANCELLED,
    S.PAID,
)
STATUS_CYCLE += (S.DENIED, S.REFUNDED, S.PAID, S.FAILED)
# Statuses whose promo usage is released (spec: workflows 4.3).
RELEASED = frozenset({S.EXPIRED, S.CANCELLED, S.DENIED, S.FAILED})
OWNED = frozenset({S.PAID, S.REFUNDED})
CENT = Decimal("0.01")
Owner = tuple[uuid.UUID | None, uuid.UUID | None]


@dataclass(frozen=True, slots=True)
class LinePlan:
    id: uuid.UUID
    book: BookPlan | None
    bundle: BundlePlan | None
    unit_price: Decimal
    discount: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.unit_price

    @property
    def owner(self) -> Owner:
        """The ledger owner; a bundle holds one author's books, so it has one owner too."""
        book = self.book or (self.bundle.books[0] if self.bundle else None)
        assert book is not None
        return book.owner

    @property
    def books(self) -> tuple[BookPlan, ...]:
        """What the line entitles to: its product, or every product of its bundle."""
        return (self.book,) if self.book else self.bundle.books if self.bundle else ()


@dataclass(frozen=True, slots=True)
class OrderPlan:
    id: uuid.UUID
    customer: CustomerPlan
    status: SalesStatus
    lines: tuple[LinePlan, ...]
    promo: Promo | None
    day: float

    @property
    def subtotal(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def discount(self) -> Decimal:
        return sum((line.discount for line in self.lines), Decimal(0))

    @property
    def midtrans_order_id(self) -> str | None:
        return None if self.status == S.CART else f"ESN-{self.id.hex}"

    @property
    def checkout_at(self) -> dt.datetime | None:
        return None if self.status == S.CART else at(self.day)

    @property
    def paid_at(self) -> dt.datetime | None:
        return at(self.day + 0.02) if self.status in OWNED else None

    @property
    def ended_at(self) -> dt.datetime:
        """When the order reached its status (the last change)."""
        offsets = {S.EXPIRED: 1.0, S.CANCELLED: 0.2, S.DENIED: 0.01, S.FAILED: 0.0, S.REFUNDED: 12}
        return at(self.day + offsets.get(self.status, 0.02 if self.status == S.PAID else 0))


def allocate(lines: list[LinePlan], promo: Promo) -> list[LinePlan] | None:
    """Spread the promo discount over its eligible lines in proportion, the remainder on the
    last one; None when the code gives nothing (or everything) on these lines."""
    eligible = [
        i
        for i, line in enumerate(lines)
        if promo.publisher is None or line.owner[0] == promo.publisher_id
    ]
    base = sum((lines[i].total for i in eligible), Decimal(0))
    amount = promo.discount(base)
    if amount <= 0 or amount >= base:
        return None
    shares = [(amount * lines[i].total / base).quantize(CENT) for i in eligible]
    shares[-1] = amount - sum(shares[:-1], Decimal(0))
    out = list(lines)
    for i, share in zip(eligible, shares, strict=True):
        out[i] = LinePlan(lines[i].id, lines[i].book, lines[i].bundle, lines[i].unit_price, share)
    return out


class _Customer:
    """Planning state of one customer: the products not yet used and the codes already used."""

    def __init__(self, plan: CustomerPlan, pool: list[BookPlan], rand: random.Random) -> None:
        self.plan = plan
        self.rand = rand
        self.pool = pool
        self.codes: set[str] = set()

    def take(self, count: int) -> list[BookPlan]:
        taken, self.pool = self.pool[:count], self.pool[count:]
        return taken


class _Planner:
    def __init__(self, block: int, books: list[BookPlan], bundles: list[BundlePlan]) -> None:
        self.block = block
        self.sellable = [b for b in books if b.sellable]
        self.bundle = next((b for b in bundles if b.status == "published"), None)
        self.ordinal = 0
        self.habis_left = block == 0

    def customer(self, plan: CustomerPlan) -> list[OrderPlan]:
        rand = rng("orders", self.block, plan.index)
        buys_bundle = self.bundle is not None and plan.index % 4 == 2
        skip = {b.id for b in self.bundle.books} if self.bundle and buys_bundle else set()
        pool = [b for b in self.sellable if b.id not in skip]
        state = _Customer(plan, rand.sample(pool, len(pool)), rand)
        verified = plan.login.verified
        orders = []
        for k in range(1 + rand.randrange(4) if verified else 0):
            status = STATUS_CYCLE[self.ordinal % len(STATUS_CYCLE)]
            self.ordinal += 1
            day = 160 + k * 40 + rand.random() * 25
            orders.append(self.order(state, k, status, day, with_bundle=buys_bundle and k == 0))
        if self.block == 0 and plan.index == 0 and verified:
            orders += self.showcase(state)
        if plan.index % 3 == 0:
            orders.append(self.order(state, 9, S.CART, 345 + rand.random() * 10, with_bundle=False))
        return orders

    def order(
        self, state: _Customer, k: int, status: SalesStatus, day: float, *, with_bundle: bool
    ) -> OrderPlan:
        order_id = seed_id("t_sales", f"{self.block}:{state.plan.index}:{k}")
        lines = [
            LinePlan(seed_id("t_sales_line", f"{order_id}:{book.number}"), book, None, book.price)
            for book in state.take(1 + state.rand.randrange(3))
        ]
        if with_bundle and self.bundle:
            line_id = seed_id("t_sales_line", f"{order_id}:bundle")
            lines.append(LinePlan(line_id, None, self.bundle, self.bundle.price))
        promo = None if status == S.CART else self.promo(state, status)
        if promo and (discounted := allocate(lines, promo)):
            state.codes.add(promo.code)
            self.habis_left = self.habis_left and promo is not HABIS
            return OrderPlan(order_id, state.plan, status, tuple(discounted), promo, day)
        return OrderPlan(order_id, state.plan, status, tuple(lines), None, day)

    def showcase(self, state: _Customer) -> list[OrderPlan]:
        """The demo customer (pembaca@) also has an order in each status a history page
        filters on; outside the status cycle, so every other customer's orders stay the same."""
        statuses = (S.PAID, S.PENDING, S.EXPIRED, S.CANCELLED, S.REFUNDED)
        return [
            self.order(
                state, 4 + n, status, 200 + n * 30 + state.rand.random() * 20, with_bundle=False
            )
            for n, status in enumerate(statuses)
        ]

    def promo(self, state: _Customer, status: SalesStatus) -> Promo | None:
        if self.habis_left and status == S.PAID:
            return HABIS
        roll = state.rand.random()
        promo = (
            ESENSI10
            if roll < 0.2
            else HEMAT15K
            if roll < 0.3
            else NUSANTARA20
            if roll < 0.4
            else None
        )
        return promo if promo and promo.code not in state.codes else None


def plan_orders(
    block: int, customers: list[CustomerPlan], books: list[BookPlan], bundles: list[BundlePlan]
) -> list[OrderPlan]:
    """Every verified customer checks out one to four orders; every third has an open cart."""
    planner = _Planner(block, books, bundles)
    return [order for customer in customers for order in planner.customer(customer)]
