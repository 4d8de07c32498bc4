"""The customer's cart (spec/workflows.md §4.1, §4.2): every answer is the cart after it."""

from __future__ import annotations

from esensi.api.main.cart_schemas import CartAdd, CartPromo, CartRead, CartRemove, CartUpdate
from esensi.api.main.schemas import NoInput
from esensi.services import cart_view, carts
from esensi.services.cart_lines import ItemNotForSaleError, ItemOwnedError
from esensi.services.carts import CartFullError
from esensi.services.promo_rules import PromoRefusedError
from rlib import Ctx, FieldError, ValidationError, define_api
from rlib.auth.users import require_profile


async def _answer(ctx: Ctx) -> CartRead:
    return CartRead.model_validate(await cart_view.read(ctx.db, require_profile(ctx, "customer")))


@define_api(name="cart", url="/cart", methods=("GET", "POST"), auth={"customer"}, page=True)
async def cart(ctx: Ctx, payload: NoInput) -> CartRead:
    """The caller's cart: lines at today's prices, the promo code and the totals."""
    return await _answer(ctx)


@define_api(
    name="cart_add",
    url="/api/cart/add",
    methods=("POST",),
    auth={"customer"},
    errors=(ItemNotForSaleError, ItemOwnedError, CartFullError),
)
async def cart_add(ctx: Ctx, payload: CartAdd) -> CartRead:
    """Add a product or a bundle; refuses items not for sale (422) or already owned (409)."""
    if (payload.id_product is None) == (payload.id_bundle is None):
        raise ValidationError([FieldError(loc=("body", "id_product"), key="cart.one_item")])
    await carts.add(
        ctx.db,
        require_profile(ctx, "customer"),
        product_id=payload.id_product,
        bundle_id=payload.id_bundle,
        qty=payload.qty,
    )
    return await _answer(ctx)


@define_api(name="cart_update", url="/api/cart/update", methods=("POST",), auth={"customer"})
async def cart_update(ctx: Ctx, payload: CartUpdate) -> CartRead:
    """Change the quantity of a line of the caller's cart (a book stays at 1)."""
    await carts.update(
        ctx.db, require_profile(ctx, "customer"), line_id=payload.id_line, qty=payload.qty
    )
    return await _answer(ctx)


@define_api(name="cart_remove", url="/api/cart/remove", methods=("POST",), auth={"customer"})
async def cart_remove(ctx: Ctx, payload: CartRemove) -> CartRead:
    """Remove lines of the caller's cart; 404 and nothing removed when one is not in it."""
    await carts.remove(ctx.db, require_profile(ctx, "customer"), payload.ids)
    return await _answer(ctx)


@define_api(
    name="cart_promo",
    url="/api/cart/promo",
    methods=("POST",),
    auth={"customer"},
    errors=(PromoRefusedError,),
)
async def cart_promo(ctx: Ctx, payload: CartPromo) -> CartRead:
    """Apply a promo code (checked, not reserved) or remove it with ``code: null``."""
    await carts.set_promo(ctx.db, require_profile(ctx, "customer"), payload.code)
    return await _answer(ctx)
