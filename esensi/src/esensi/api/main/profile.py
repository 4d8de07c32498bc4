"""The customer's own profile page and its edit form."""

from __future__ import annotations

from esensi.api.main.catalog_schemas import CustomerProfile, ProfileEdit
from esensi.api.main.schemas import NoInput
from esensi.services import customer_profile
from rlib import Ctx, FieldError, ValidationError, define_api
from rlib.auth.users import require_profile


async def _profile(ctx: Ctx) -> CustomerProfile:
    row = await customer_profile.read(ctx, require_profile(ctx, "customer"))
    return CustomerProfile.model_validate(
        {**row, "counts": {"orders": row["orders"], "library": row["library"]}}
    )


@define_api(name="profile", url="/profile", methods=("GET", "POST"), auth={"customer"}, page=True)
async def profile(ctx: Ctx, payload: NoInput) -> CustomerProfile:
    """The caller's customer profile with its order and library counts."""
    return await _profile(ctx)


@define_api(
    name="profileedit", url="/profile/edit", methods=("GET", "POST"), auth={"customer"}, page=True
)
async def profileedit(ctx: Ctx, payload: ProfileEdit) -> CustomerProfile:
    """Without fields, the profile to edit; with ``name`` / ``whatsapp`` and ``version``, the
    profile after the change (409 when ``version`` is stale)."""
    changes = payload.changes()
    if changes and ctx.req.method == "POST":  # a GET (the page itself) never writes
        _require_fields(payload, changes)
        await customer_profile.change(
            ctx, require_profile(ctx, "customer"), changes, version=payload.version or 0
        )
    return await _profile(ctx)


def _require_fields(payload: ProfileEdit, changes: dict[str, object]) -> None:
    missing = []
    if payload.version is None:
        missing.append(FieldError(loc=("body", "version"), key="v.missing"))
    if "name" in changes and changes["name"] is None:
        missing.append(FieldError(loc=("body", "name"), key="v.missing"))
    if missing:
        raise ValidationError(missing)
