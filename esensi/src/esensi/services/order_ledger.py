"""What a paid order owes: the products it entitles and the ledger credit of each line's owners.

A product line owed its product's owner (publisher, else author) with the line's net
(``total_price - discount_amount``); a bundle line is split over its products' owners in
proportion to their real prices, rounded to 0.01 with the remainder on the last owner.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from esensi.models.bundle import Bundle, BundleProduct
from esensi.models.product import Product
from esensi.models.sales import TSalesLine
from rlib import Scope

CENT = Decimal("0.01")
Owner = tuple[str, uuid.UUID]  # ("publisher" | "author", id)


@dataclass(frozen=True, slots=True)
class Line:
    id: uuid.UUID
    name: str
    qty: int
    total_price: Decimal
    net: Decimal
    id_bundle: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class Credit:
    line: Line
    owner: Owner
    amount: Decimal


@dataclass(frozen=True, slots=True)
class OrderContents:
    lines: list[Line]
    products: list[uuid.UUID]  # every product entitled, bundles expanded
    owed: list[Credit]


def owner_of(id_publisher: uuid.UUID | None, id_author: uuid.UUID) -> Owner:
    return ("publisher", id_publisher) if id_publisher is not None else ("author", id_author)


async def contents(scope: Scope, sales_id: uuid.UUID) -> OrderContents:
    """The order's lines, entitled products and owed: two statements."""
    rows = (
        await scope.db.execute(
            select(
                TSalesLine.id,
                TSalesLine.id_product,
                TSalesLine.id_bundle,
                TSalesLine.qty,
                TSalesLine.total_price,
                TSalesLine.discount_amount,
                Product.name,
                Bundle.name,
                Product.id_publisher,
                Product.id_author,
            )
            .outerjoin(Product, Product.id == TSalesLine.id_product)
            .outerjoin(Bundle, Bundle.id == TSalesLine.id_bundle)
            .where(TSalesLine.id_sales == sales_id)
            .order_by(TSalesLine.created_at, TSalesLine.id)
        )
    ).all()
    bundles = await _bundle_items([r[2] for r in rows if r[2] is not None], scope)
    lines: list[Line] = []
    products: list[uuid.UUID] = []
    owed: list[Credit] = []
    for id_, id_product, id_bundle, qty, total, discount, pname, bname, pub, author in rows:
        net = Decimal(total) - Decimal(discount)
        line = Line(id_, str(pname or bname or ""), qty, Decimal(total), net, id_bundle)
        lines.append(line)
        if id_product is not None:
            products.append(id_product)
            owed.append(Credit(line, owner_of(pub, author), net))
        elif id_bundle is not None:
            items = bundles.get(id_bundle, [])
            products.extend(product for product, _, _ in items)
            owed.extend(_split(line, items))
    return OrderContents(lines, list(dict.fromkeys(products)), [c for c in owed if c.amount > 0])


async def _bundle_items(
    bundle_ids: list[uuid.UUID], scope: Scope
) -> dict[uuid.UUID, list[tuple[uuid.UUID, Owner, Decimal]]]:
    if not bundle_ids:
        return {}
    rows = (
        await scope.db.execute(
            select(
                BundleProduct.id_bundle,
                Product.id,
                Product.id_publisher,
                Product.id_author,
                Product.real_price,
                BundleProduct.qty,
            )
            .join(Product, Product.id == BundleProduct.id_product)
            .where(BundleProduct.id_bundle.in_(bundle_ids))
            .order_by(BundleProduct.id_bundle, BundleProduct.created_at, BundleProduct.id)
        )
    ).all()
    items: dict[uuid.UUID, list[tuple[uuid.UUID, Owner, Decimal]]] = defaultdict(list)
    for id_bundle, id_product, pub, author, price, qty in rows:
        items[id_bundle].append((id_product, owner_of(pub, author), Decimal(price) * qty))
    return items


def _split(line: Line, items: list[tuple[uuid.UUID, Owner, Decimal]]) -> list[Credit]:
    """The line's net over its products' owners by real price; the remainder on the last."""
    weights: dict[Owner, Decimal] = defaultdict(Decimal)
    for _, owner, weight in items:
        weights[owner] += weight
    if not weights:
        return []
    total_weight = sum(weights.values(), Decimal(0))
    owners = list(weights)
    owed: list[Credit] = []
    given = Decimal(0)
    for owner in owners[:-1]:
        share = (
            line.net * weights[owner] / total_weight if total_weight > 0 else line.net / len(owners)
        ).quantize(CENT, rounding=ROUND_HALF_UP)
        given += share
        owed.append(Credit(line, owner, share))
    owed.append(Credit(line, owners[-1], line.net - given))
    return owed
