"""Promo code rules and discount arithmetic (spec/workflows.md §4.2), free of I/O.

The cart shows what these functions say and checkout reserves what they say, so both read the
same rules. Amounts are ``Decimal`` rupiah with two places; every share is a whole cent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from esensi.models.enums import DiscountType, PromoStatus
from esensi.models.promo import PromoCode
from rlib import ConflictError, FieldError, ValidationError

CENT = Decimal("0.01")
ZERO = Decimal(0)


class PromoRefusedError(ValidationError):
    """422: the code does not apply to this cart now; ``data.reason`` says why."""

    code = "promo_refused"

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__([FieldError(loc=("body", "code"), key=reason, params=params)], reason)
        self.params.update(params)
        self.reason = reason

    def data(self) -> object:
        return {"reason": self.reason.removeprefix("promo.")}


class PromoExhaustedError(ConflictError):
    """409: the code's last use went to another order between the cart and checkout."""

    code = "promo_exhausted"
    key = "promo.exhausted"


@dataclass(frozen=True, slots=True)
class PromoTerms:
    """What a promo code row promises, detached from the session."""

    promo_id: uuid.UUID
    code: str
    discount_type: str
    discount_value: Decimal
    max_discount: Decimal | None
    min_subtotal: Decimal
    id_publisher: uuid.UUID | None
    status: str
    valid_from: dt.datetime
    valid_to: dt.datetime | None
    usage_limit: int | None
    used_count: int
    per_customer_limit: int

    @classmethod
    def of(cls, row: PromoCode) -> PromoTerms:
        return cls(
            promo_id=row.id,
            code=row.code,
            discount_type=row.discount_type,
            discount_value=Decimal(row.discount_value),
            max_discount=None if row.max_discount is None else Decimal(row.max_discount),
            min_subtotal=Decimal(row.min_subtotal),
            id_publisher=row.id_publisher,
            status=row.status,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            usage_limit=row.usage_limit,
            used_count=row.used_count,
            per_customer_limit=row.per_customer_limit,
        )


@dataclass(frozen=True, slots=True)
class PricedLine:
    """A cart or order line at its database price; ``publishers`` of the products it holds
    (``None`` for a product without a publisher: its author owns it)."""

    line_id: uuid.UUID
    total: Decimal
    publishers: frozenset[uuid.UUID | None]


@dataclass(frozen=True, slots=True)
class PromoOutcome:
    eligible_subtotal: Decimal
    discount: Decimal
    shares: dict[uuid.UUID, Decimal]


def is_eligible(terms: PromoTerms, line: PricedLine) -> bool:
    """A store-wide code covers every line; a publisher's code only lines wholly its own."""
    if terms.id_publisher is None:
        return True
    return line.publishers == frozenset({terms.id_publisher})


def check(
    terms: PromoTerms, lines: Sequence[PricedLine], *, now: dt.datetime, customer_uses: int
) -> None:
    """Raise :class:`PromoRefusedError` with the first rule the code breaks for this cart."""
    if terms.status != PromoStatus.ACTIVE.value:
        raise PromoRefusedError("promo.inactive")
    if now < terms.valid_from:
        raise PromoRefusedError("promo.not_started")
    if terms.valid_to is not None and now >= terms.valid_to:
        raise PromoRefusedError("promo.ended")
    if terms.usage_limit is not None and terms.used_count >= terms.usage_limit:
        raise PromoRefusedError("promo.exhausted")
    if customer_uses >= terms.per_customer_limit:
        raise PromoRefusedError("promo.customer_limit")
    eligible = [line for line in lines if is_eligible(terms, line)]
    if not eligible:
        raise PromoRefusedError("promo.scope")
    if sum((line.total for line in eligible), ZERO) < terms.min_subtotal:
        raise PromoRefusedError("promo.min_subtotal", min=f"{terms.min_subtotal:,.0f}")


def discount_for(terms: PromoTerms, eligible_subtotal: Decimal) -> Decimal:
    """Percentage of the eligible subtotal capped by ``max_discount``, or the fixed amount;
    never more than the eligible subtotal."""
    if terms.discount_type == DiscountType.PERCENTAGE.value:
        amount = (eligible_subtotal * terms.discount_value / 100).quantize(CENT, ROUND_HALF_UP)
        if terms.max_discount is not None:
            amount = min(amount, terms.max_discount)
    else:
        amount = terms.discount_value
    return max(ZERO, min(amount, eligible_subtotal)).quantize(CENT, ROUND_DOWN)


def allocate(discount: Decimal, lines: Sequence[PricedLine]) -> dict[uuid.UUID, Decimal]:
    """Split ``discount`` over ``lines`` in proportion to their totals, in whole cents.

    Every line but the last gets its share rounded down, the last line the remainder. When the
    last line is too small to carry it (it cannot exceed its own total), the rest moves to the
    lines before it, so each share stays within ``0..line total`` and the shares sum exactly.
    """
    subtotal = sum((line.total for line in lines), ZERO)
    if not lines or subtotal <= 0 or discount <= 0:
        return {line.line_id: ZERO for line in lines}
    shares = [(discount * line.total / subtotal).quantize(CENT, ROUND_DOWN) for line in lines]
    shares[-1] = ZERO
    left = discount - sum(shares, ZERO)
    for index in range(len(lines) - 1, -1, -1):
        room = lines[index].total - shares[index]
        taken = min(room, left)
        shares[index] += taken
        left -= taken
    return {line.line_id: share for line, share in zip(lines, shares, strict=True)}


def evaluate(terms: PromoTerms, lines: Sequence[PricedLine]) -> PromoOutcome:
    """The discount of ``terms`` on ``lines`` and each eligible line's share (no rule checks)."""
    eligible = [line for line in lines if is_eligible(terms, line)]
    subtotal = sum((line.total for line in eligible), ZERO)
    discount = discount_for(terms, subtotal)
    return PromoOutcome(subtotal, discount, allocate(discount, eligible))
