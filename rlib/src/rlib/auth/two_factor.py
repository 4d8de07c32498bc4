"""Setting up and removing TOTP two-factor (better-auth's ``two-factor`` plugin).

``enable`` (password, fresh sign-in) stores a new secret, sealed with a key derived from the
app secret, and ten backup codes (their digests), and shows both once; 2FA counts as on only
after the first TOTP code (``verify-totp``). ``disable`` needs the password and a current code,
and, like turning 2FA on, revokes the other sessions and rotates this one.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from rlib.auth.attempts import confirm_password, password_matches, refund, take_sign_in
from rlib.auth.codes import new_backup_codes
from rlib.auth.errors import (
    CodeInvalidError,
    PasswordWrongError,
    TwoFactorOffError,
    TwoFactorOnError,
)
from rlib.auth.flows import kit_of, normalize_email, start_session
from rlib.auth.kit import AuthKit
from rlib.auth.rules import require_fresh
from rlib.auth.schemas import (
    BackupCodes,
    ConfirmPassword,
    DisableTwoFactor,
    EnableTwoFactor,
    Rotated,
    TotpUri,
    TwoFactorSetup,
)
from rlib.auth.second_factor import (
    check_totp,
    lock_two_factor,
    login_of,
    open_secret,
    two_factor_switched,
    use_backup_code,
)
from rlib.auth.tables import IdentityColumns, TwoFactorColumns
from rlib.auth.totp import new_secret, provisioning_uri
from rlib.auth.users import SessionUser, current_user
from rlib.context import Ctx


async def enable(ctx: Ctx, payload: EnableTwoFactor) -> TwoFactorSetup:
    """A new TOTP secret, its ``otpauth://`` URI and ten backup codes (pending until the first
    code is verified)."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    require_fresh(ctx, kit)
    await confirm_password(ctx, kit, me, payload.password)
    user = await login_of(ctx, kit, me)
    if user.two_factor_enabled:
        raise TwoFactorOnError()
    secret, codes = new_secret(), new_backup_codes()
    row = await _row(ctx, kit, me)
    if row is None:
        row = kit.tables.two_factor(id_user=me.id, secret="", backup_codes=[])
        ctx.db.add(row)
    row.secret = kit.box.seal(secret, owner=str(me.id))
    row.backup_codes = _digests(kit, me, codes)
    row.verified_at = None
    row.last_step = None
    await ctx.db.flush()
    return TwoFactorSetup(totpURI=_uri(kit, user, secret), backupCodes=codes)


async def get_totp_uri(ctx: Ctx, payload: ConfirmPassword) -> TotpUri:
    """The ``otpauth://`` URI of the stored secret, to its owner (password required)."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    await confirm_password(ctx, kit, me, payload.password)
    row = await _row(ctx, kit, me)
    if row is None:
        raise TwoFactorOffError()
    secret = open_secret(kit, row)
    if secret is None:
        raise TwoFactorOffError()  # unusable enrolment: disable with a backup code, enrol again
    return TotpUri(totpURI=_uri(kit, await login_of(ctx, kit, me), secret))


async def generate_backup_codes(ctx: Ctx, payload: ConfirmPassword) -> BackupCodes:
    """Ten new backup codes; the old ones stop working."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    await confirm_password(ctx, kit, me, payload.password)
    row = await _row(ctx, kit, me)
    if row is None or row.verified_at is None:
        raise TwoFactorOffError()
    codes = new_backup_codes()
    row.backup_codes = _digests(kit, me, codes)
    await ctx.db.flush()
    return BackupCodes(status=True, backupCodes=codes)


async def disable(ctx: Ctx, payload: DisableTwoFactor) -> Rotated:
    """Turn 2FA off with the password and a TOTP or backup code; other sessions end and this
    one gets a new token."""
    kit = kit_of(ctx)
    me = current_user(ctx)
    require_fresh(ctx, kit)
    # One attempt for password and code together, taken before anything is read.
    slots = await take_sign_in(ctx, kit, normalize_email(me.email))
    row = await lock_two_factor(ctx, kit, me.id)
    if row is None:
        raise TwoFactorOffError()
    if not await password_matches(ctx, kit, me, payload.password):
        raise PasswordWrongError()
    if not (check_totp(kit, row, payload.code) or use_backup_code(kit, row, payload.code)):
        raise CodeInvalidError()
    await refund(ctx, kit, slots)
    user = await login_of(ctx, kit, me)
    await _turn_off(ctx, kit, user, me)
    issued = await start_session(ctx, user_id=me.id)
    return Rotated(status=True, token=issued.token)


async def _turn_off(ctx: Ctx, kit: AuthKit, user: IdentityColumns, me: SessionUser) -> None:
    t = kit.tables.two_factor
    await ctx.db.execute(
        delete(t).where(t.id_user == me.id).execution_options(synchronize_session=False)
    )
    user.two_factor_enabled = False
    await ctx.db.flush()
    await two_factor_switched(ctx, kit, user, me, enabled=False)


async def _row(ctx: Ctx, kit: AuthKit, me: SessionUser) -> TwoFactorColumns | None:
    t = kit.tables.two_factor
    return await ctx.db.scalar(select(t).where(t.id_user == me.id))


def _digests(kit: AuthKit, me: SessionUser, codes: list[str]) -> list[str]:
    return [kit.codes.backup_digest(str(me.id), code) for code in codes]


def _uri(kit: AuthKit, user: IdentityColumns, secret: str) -> str:
    return provisioning_uri(secret, account=user.email, issuer=kit.config.totp_issuer)
