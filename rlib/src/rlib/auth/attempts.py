"""Throttle slots shared by every route that checks a credential or sends a code.

A password, an emailed code, a TOTP code or a backup code all count as sign-in attempts
(security.md section 5: 5 per 5 minutes per account, 10 per minute per IP). Slots are taken
in their own committed unit before the check runs and before the request's transaction reads
anything; a success gives them back in the request's transaction.
"""

from __future__ import annotations

from sqlalchemy import select

from rlib.auth.errors import PasswordWrongError
from rlib.auth.flows import normalize_email
from rlib.auth.kit import AuthKit
from rlib.auth.users import SessionUser
from rlib.context import Ctx
from rlib.throttle import ip_bucket

CREDENTIAL = "credential"


async def take_sign_in(ctx: Ctx, kit: AuthKit, account: str) -> tuple[str, str]:
    """Reserve a sign-in attempt for the client IP and ``account`` (a normalized email or
    username); 429 when either window is full. Returns the keys, for :func:`refund`."""
    rules = kit.config.throttles
    ip_key = "signin:ip:" + ip_bucket(kit.client_ip(ctx))
    account_key = "signin:account:" + account
    await kit.throttle.take(ctx.unit, ip_key, rules.sign_in_ip)
    await kit.throttle.take(ctx.unit, account_key, rules.sign_in_account)
    return ip_key, account_key


async def refund(ctx: Ctx, kit: AuthKit, keys: tuple[str, ...]) -> None:
    """Give the attempts back after a success."""
    for key in keys:
        await kit.throttle.refund(ctx.unit, key)


async def take_send(ctx: Ctx, kit: AuthKit, email: str) -> None:
    """Reserve an email send (link or code) for the client IP and the address."""
    rules = kit.config.throttles
    await kit.throttle.take(ctx.unit, "send:ip:" + ip_bucket(kit.client_ip(ctx)), rules.send_ip)
    await kit.throttle.take(ctx.unit, "send:account:" + email, rules.send_account)


async def confirm_password(ctx: Ctx, kit: AuthKit, me: SessionUser, password: str) -> None:
    """Check the signed-in user's password (a sign-in attempt: throttled the same way).

    Raises:
        PasswordWrongError: 400 when it does not match (or the login has no password).
        RateLimitedError: 429 while the account or IP is locked.
    """
    keys = await take_sign_in(ctx, kit, normalize_email(me.email))
    if not await password_matches(ctx, kit, me, password):
        raise PasswordWrongError()
    await refund(ctx, kit, keys)


async def password_matches(ctx: Ctx, kit: AuthKit, me: SessionUser, password: str) -> bool:
    """Whether ``password`` is the signed-in user's (argon2, bounded; unthrottled: the caller
    holds a sign-in slot)."""
    a = kit.tables.account
    stored = await ctx.db.scalar(
        select(a.password).where(a.id_user == me.id, a.id_provider == CREDENTIAL)
    )
    return (await kit.hasher.verify(stored, password)).ok
