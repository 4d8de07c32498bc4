"""The store's registration: sign up and become a customer in one step."""

from __future__ import annotations

from esensi.api.auth.schemas import Register
from esensi.models.enums import ActorType
from esensi.services import onboarding
from esensi.services.audit import Actor
from rlib import Ctx, define_api
from rlib.auth.flows import kit_of, normalize_email
from rlib.auth.schemas import Done, SignUpEmail
from rlib.auth.signin import sign_up
from rlib.errors import FieldError, ValidationError


@define_api(name="auth_register", url="/register", auth="public")
async def auth_register(ctx: Ctx, payload: Register) -> Done:
    """Sign up as a customer; a verification email follows (same answer for a taken email)."""
    if payload.confirmPassword != payload.password:
        raise ValidationError(
            [FieldError(loc=("body", "confirmPassword"), key="auth.password_mismatch")]
        )
    login = SignUpEmail(
        name=payload.name,
        email=payload.email,
        password=payload.password,
        callbackURL=payload.callbackURL,
    )
    user_id = await sign_up(ctx, login)
    if user_id is not None:
        actor = Actor(user_id, ActorType.CUSTOMER, kit_of(ctx).client_ip(ctx), ctx.request_id)
        await onboarding.add_customer(
            ctx, actor, user_id=user_id, name=payload.name, email=normalize_email(payload.email)
        )
    return Done(status=True)
