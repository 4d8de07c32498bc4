"""The customer's cart: one ``t_sales`` row with status ``cart`` (spec/workflows.md §4.1).

Every change locks the cart row first, so two requests of one customer apply one after the
other (SQLite serialises writers on its own). The cart is created on the first add; the
partial unique index on ``(id_customer) WHERE status = 'cart'`` keeps two racing first adds
on one row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from esensi.models.enums import SalesStatus
from esensi.models.promo import PromoCode
from esensi.models.sales import TSales, TSalesLine
from esensi.services import promo_rules, promo_usage
from esensi.services.cart_lines import buyable, item_state, load_lines
from rlib import FieldError, NotFoundError, ValidationError
from rlib.db.base import utcnow

MAX_LINES = 50
MAX_QTY = 10
_CART_WHERE = "status = 'cart' AND deleted_at IS NULL"


class CartFullError(ValidationError):
    """422: a cart holds at most ``MAX_LINES`` lines."""

    code = "cart_full"
    key = "cart.full"


def _qty_error(key: str) -> ValidationError:
    return ValidationError([FieldError(loc=("body", "qty"), key=key)], key)


async def find_cart(db: AsyncSession, customer_id: uuid.UUID, *, lock: bool) -> TSales | None:
    """The customer's live cart, locked for the transaction when ``lock``."""
    query = select(TSales).where(
        TSales.id_customer == customer_id,
        TSales.status == SalesStatus.CART.value,
        TSales.deleted_at.is_(None),
    )
    return await db.scalar(query.with_for_update() if lock else query)


async def open_cart(db: AsyncSession, customer_id: uuid.UUID) -> TSales:
    """The customer's cart, locked; created when there is none (a racing creation is a no-op)."""
    found = await find_cart(db, customer_id, lock=True)
    if found is not None:
        return found
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    now = utcnow()
    await db.execute(
        dialect.insert(TSales)
        .values(id_customer=customer_id, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=["id_customer"], index_where=text(_CART_WHERE))
    )
    created = await find_cart(db, customer_id, lock=True)
    assert created is not None  # inserted now or by the request that won the race
    return created


async def add(
    db: AsyncSession,
    customer_id: uuid.UUID,
    *,
    product_id: uuid.UUID | None,
    bundle_id: uuid.UUID | None,
    qty: int,
) -> None:
    """Add a product (qty 1) or a bundle; adding a held product changes nothing, adding a
    held bundle adds to its quantity."""
    state = await item_state(db, customer_id, product_id=product_id, bundle_id=bundle_id)
    if product_id is not None and qty != 1:
        raise _qty_error("cart.product_qty")
    cart = await open_cart(db, customer_id)
    column = TSalesLine.id_product if product_id is not None else TSalesLine.id_bundle
    held = await db.scalar(
        select(TSalesLine).where(
            TSalesLine.id_sales == cart.id, column == (product_id or bundle_id)
        )
    )
    if held is not None:
        if product_id is None:
            _set_qty(held, held.qty + qty, state.price)
        await db.flush()
        return
    count = await db.scalar(
        select(func.count()).select_from(TSalesLine).where(TSalesLine.id_sales == cart.id)
    )
    if (count or 0) >= MAX_LINES:
        raise CartFullError()
    db.add(
        TSalesLine(
            id_sales=cart.id,
            id_product=product_id,
            id_bundle=bundle_id,
            unit_price=state.price,
            qty=qty,
            total_price=state.price * qty,
        )
    )
    await db.flush()


def _set_qty(line: TSalesLine, qty: int, price: object) -> None:
    if qty > MAX_QTY:
        raise _qty_error("cart.qty_max")
    line.qty = qty
    line.unit_price = price  # type: ignore[assignment]  # a Decimal from the item
    line.total_price = line.unit_price * qty


async def _own_line(db: AsyncSession, customer_id: uuid.UUID, line_id: uuid.UUID) -> TSalesLine:
    cart = await find_cart(db, customer_id, lock=True)
    line = None if cart is None else await db.get(TSalesLine, line_id)
    if cart is None or line is None or line.id_sales != cart.id:
        raise NotFoundError("resource.cart_line")
    return line


async def update(db: AsyncSession, customer_id: uuid.UUID, *, line_id: uuid.UUID, qty: int) -> None:
    """Change a line's quantity (a product line stays at 1); 404 for a line not in the cart."""
    line = await _own_line(db, customer_id, line_id)
    if line.id_product is not None and qty != 1:
        raise _qty_error("cart.product_qty")
    _set_qty(line, qty, line.unit_price)
    await db.flush()


async def remove(db: AsyncSession, customer_id: uuid.UUID, line_ids: Sequence[uuid.UUID]) -> None:
    """Remove lines; when any of them is not in the caller's cart, 404 and nothing removed."""
    wanted = set(line_ids)
    cart = await find_cart(db, customer_id, lock=True)
    if cart is None:
        raise NotFoundError("resource.cart_line")
    held = set(
        await db.scalars(
            select(TSalesLine.id).where(TSalesLine.id_sales == cart.id, TSalesLine.id.in_(wanted))
        )
    )
    if held != wanted:
        raise NotFoundError("resource.cart_line")
    await db.execute(delete(TSalesLine).where(TSalesLine.id.in_(wanted)))


async def set_promo(db: AsyncSession, customer_id: uuid.UUID, code: str | None) -> None:
    """Apply ``code`` (any letter case) when its rules accept the cart now, or remove the
    applied code (``None``). Reserves nothing: checkout does."""
    cart = await find_cart(db, customer_id, lock=True)
    if code is None:
        if cart is not None:
            cart.id_promo_code, cart.promo_code = None, None
            await db.flush()
        return
    row = await db.scalar(select(PromoCode).where(func.upper(PromoCode.code) == code.upper()))
    if row is None:
        raise promo_rules.PromoRefusedError("promo.unknown")
    lines = [] if cart is None else buyable(await load_lines(db, cart.id, customer_id))
    if cart is None or not lines:
        raise promo_rules.PromoRefusedError("promo.scope")
    terms = promo_rules.PromoTerms.of(row)
    uses = await promo_usage.customer_uses(db, row.id, customer_id)
    promo_rules.check(terms, [line.priced() for line in lines], now=utcnow(), customer_uses=uses)
    cart.id_promo_code, cart.promo_code = row.id, row.code
    await db.flush()
