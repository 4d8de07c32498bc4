"""A cart's or order's lines with what the database says of their items today.

Prices, names and whether an item may still be sold always come from ``product`` / ``bundle``,
never from the stored line or the client; the stored ``unit_price`` is only what the line was
last priced at. Three statements whatever the number of lines (lines with their items, bundle
contents, ownership).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.bundle import Bundle, BundleProduct
from esensi.models.entitlement import TSalesDownload
from esensi.models.enums import BundleStatus, ProductStatus
from esensi.models.product import Product
from esensi.models.sales import TSalesLine
from esensi.services.promo_rules import PricedLine
from rlib import ConflictError, ValidationError


class ItemNotForSaleError(ValidationError):
    """422: a product or bundle that is not published (or was deleted) cannot be bought."""

    code = "item_not_for_sale"
    key = "cart.not_for_sale"


class ItemOwnedError(ConflictError):
    """409: every book of the item is already in the customer's library."""

    code = "item_owned"
    key = "cart.owned"


@dataclass(slots=True)
class ItemState:
    """A product or bundle as the store sells it now."""

    name: str
    slug: str
    cover: str | None
    price: Decimal
    for_sale: bool
    product_ids: list[uuid.UUID] = field(default_factory=list)
    publishers: set[uuid.UUID | None] = field(default_factory=set)
    owned: bool = False


@dataclass(slots=True)
class CartLine:
    line: TSalesLine
    item: ItemState

    @property
    def total(self) -> Decimal:
        return (self.item.price * self.line.qty).quantize(Decimal("0.01"))

    def priced(self) -> PricedLine:
        return PricedLine(self.line.id, self.total, frozenset(self.item.publishers))


def _product_state(product: Product) -> ItemState:
    live = product.deleted_at is None and product.status == ProductStatus.PUBLISHED.value
    return ItemState(
        name=product.name,
        slug=product.slug,
        cover=product.cover,
        price=Decimal(product.real_price),
        for_sale=live,
        product_ids=[product.id],
        publishers={product.id_publisher},
    )


def _bundle_state(bundle: Bundle) -> ItemState:
    live = bundle.deleted_at is None and bundle.status == BundleStatus.PUBLISHED.value
    return ItemState(bundle.name, bundle.slug, bundle.cover, Decimal(bundle.real_price), live)


async def _fill_bundles(db: AsyncSession, states: dict[uuid.UUID, ItemState]) -> None:
    if not states:
        return
    rows = await db.execute(
        select(BundleProduct.id_bundle, BundleProduct.id_product, Product.id_publisher)
        .join(Product, Product.id == BundleProduct.id_product)
        .where(BundleProduct.id_bundle.in_(states))
    )
    for bundle_id, product_id, publisher_id in rows:
        states[bundle_id].product_ids.append(product_id)
        states[bundle_id].publishers.add(publisher_id)


async def _mark_owned(db: AsyncSession, customer_id: uuid.UUID, states: list[ItemState]) -> None:
    wanted = {product_id for state in states for product_id in state.product_ids}
    if not wanted:
        return
    owned = set(
        await db.scalars(
            select(TSalesDownload.id_product).where(
                TSalesDownload.id_customer == customer_id,
                TSalesDownload.revoked_at.is_(None),
                TSalesDownload.id_product.in_(wanted),
            )
        )
    )
    for state in states:
        state.owned = bool(state.product_ids) and owned.issuperset(state.product_ids)


async def load_lines(
    db: AsyncSession, sales_id: uuid.UUID, customer_id: uuid.UUID
) -> list[CartLine]:
    """The lines of ``sales_id`` in the order they were added, each with its item's state."""
    rows = await db.execute(
        select(TSalesLine, Product, Bundle)
        .outerjoin(Product, Product.id == TSalesLine.id_product)
        .outerjoin(Bundle, Bundle.id == TSalesLine.id_bundle)
        .where(TSalesLine.id_sales == sales_id)
        .order_by(TSalesLine.created_at, TSalesLine.id)
    )
    lines: list[CartLine] = []
    bundles: dict[uuid.UUID, ItemState] = {}
    for line, product, bundle in rows:
        state = _product_state(product) if product is not None else _bundle_state(bundle)
        if bundle is not None:
            bundles[bundle.id] = state
        lines.append(CartLine(line, state))
    await _fill_bundles(db, bundles)
    await _mark_owned(db, customer_id, [line.item for line in lines])
    return lines


async def item_state(
    db: AsyncSession,
    customer_id: uuid.UUID,
    *,
    product_id: uuid.UUID | None,
    bundle_id: uuid.UUID | None,
) -> ItemState:
    """The product or bundle a customer wants to add; 422 when it cannot be sold (or does not
    exist), 409 when all its books are already theirs."""
    state: ItemState | None = None
    if product_id is not None:
        product = await db.get(Product, product_id)
        state = None if product is None else _product_state(product)
    elif bundle_id is not None:
        bundle = await db.get(Bundle, bundle_id)
        if bundle is not None:
            state = _bundle_state(bundle)
            await _fill_bundles(db, {bundle.id: state})
    if state is None or not state.for_sale:
        raise ItemNotForSaleError()
    await _mark_owned(db, customer_id, [state])
    if state.owned:
        raise ItemOwnedError()
    return state


def buyable(lines: list[CartLine]) -> list[CartLine]:
    """The lines the customer can still buy: what the cart totals and the promo rules count."""
    return [line for line in lines if line.item.for_sale and not line.item.owned]


def refuse_unsellable(lines: list[CartLine]) -> None:
    """422 when a line's item is no longer sold, 409 when it is already owned (checkout)."""
    if any(not line.item.for_sale for line in lines):
        raise ItemNotForSaleError()
    if any(line.item.owned for line in lines):
        raise ItemOwnedError()
