"""Rows of the account-security tables that sign-in normally writes: one or two each, so every
table holds demo rows. Secrets here are documented demo values, never real ones."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from esensi.models.auth import AuthRateLimit, AuthSession, AuthTwoFactor, AuthVerification
from esensi.models.enums import IdempotencyStatus, VerificationPurpose
from esensi.models.idempotency import IdempotencyKey
from esensi.seed.clock import at
from esensi.seed.keys import seed_id
from esensi.seed.people import STAFF, login, staff_login, stamps
from esensi.seed.runner import insert_rows
from rlib import Scope
from rlib.auth.kit import code_hasher, secret_box

if TYPE_CHECKING:
    from esensi.seed.world import Seeding

# The two-factor demo user (README): TOTP secret in base32 and its backup codes.
TWO_FACTOR_STAFF = next(i for i, s in enumerate(STAFF) if s[3])
TOTP_SECRET = "JBSWY3DPEHPK3PXPESENSIDEMOTOTP23"
BACKUP_CODES = tuple(f"esensi-{n:04d}" for n in range(1, 11))
READER = login("customer", "", "pembaca@esensi.online", 0)
OTHER_READER = login("customer", "", "reader@esensi.online", 0)


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _sessions() -> list[dict[str, Any]]:
    """A past session of the demo reader, revoked when they signed out."""
    return [
        {
            "id": seed_id("auth_session", "reader-signed-out"),
            "id_user": READER.id,
            "token_hash": sha256("seed:revoked-session"),
            "expires_at": at(160),
            "idle_expires_at": at(137),
            "authenticated_at": at(130),
            "two_factor_verified": False,
            "ip_address": "203.0.113.10",
            "user_agent": "Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile",
            "revoked_at": at(131),
            "family_id": None,
            **stamps(at(130)),
        }
    ]


def _verifications() -> list[dict[str, Any]]:
    """The reader's consumed sign-up verification, and a reset link that expired unused."""
    rows = []
    for key, who, purpose, consumed in (
        ("reader-verify", READER, VerificationPurpose.EMAIL_VERIFICATION, True),
        ("other-reset", OTHER_READER, VerificationPurpose.PASSWORD_RESET, False),
    ):
        rows.append(
            {
                "id": seed_id("auth_verification", key),
                "purpose": purpose.value,
                "identifier": who.email,
                "id_user": who.id,
                "value_hash": sha256(f"seed:{key}"),
                "data": None,
                "attempts": 0,
                "expires_at": at(101),
                "consumed_at": at(100.01) if consumed else None,
                **stamps(at(100)),
            }
        )
    return rows


def _two_factor(secret_key: str) -> list[dict[str, Any]]:
    """The demo staff's TOTP secret sealed and backup codes keyed as the app stores them (a
    new random nonce per run; the row is inserted once)."""
    owner = str(staff_login(TWO_FACTOR_STAFF).id)
    codes = code_hasher(secret_key)
    return [
        {
            "id": seed_id("auth_two_factor", STAFF[TWO_FACTOR_STAFF][1]),
            "id_user": staff_login(TWO_FACTOR_STAFF).id,
            "secret": secret_box(secret_key).seal(TOTP_SECRET, owner=owner),
            "backup_codes": [codes.backup_digest(owner, code) for code in BACKUP_CODES],
            "verified_at": at(1),
            "last_step": None,
            **stamps(at(1)),
        }
    ]


def _idempotency() -> list[dict[str, Any]]:
    """A completed checkout replayable by key, and one abandoned while in progress."""
    scope = f"{READER.id}:checkout"
    body = {"success": True, "data": {"order_id": "ESN-demo"}, "message": "Berhasil", "status": 200}
    return [
        {
            "id": seed_id("idempotency_key", key),
            "scope": scope,
            "key": key,
            "request_hash": sha256(f"seed:{key}"),
            "status": status.value,
            "response_status": 200 if done else None,
            "response_body": body if done else None,
            "created_at": at(200),
            "expires_at": at(201),
        }
        for key, status, done in (
            ("demo-checkout-1", IdempotencyStatus.COMPLETED, True),
            ("demo-checkout-2", IdempotencyStatus.IN_PROGRESS, False),
        )
    ]


async def seed_security(scope: Scope, seeding: Seeding) -> int:
    added = await insert_rows(scope, AuthSession, _sessions())
    added += await insert_rows(scope, AuthVerification, _verifications())
    added += await insert_rows(scope, AuthTwoFactor, _two_factor(seeding.secret_key))
    throttle = {
        "key": "signin:ip:203.0.113.66",
        "window_start": at(300),
        "count": 4,
        "expires_at": at(300.0035),
    }
    added += await insert_rows(scope, AuthRateLimit, [throttle])
    return added + await insert_rows(scope, IdempotencyKey, _idempotency())


async def seed_sequences(scope: Scope, seeding: Seeding) -> int:
    """Move PostgreSQL's identity sequences past the explicit seed ids (SQLite needs nothing:
    it continues after the largest rowid). Adds no rows."""
    if scope.db.get_bind().dialect.name == "postgresql":
        for table in ("notif", "audit_log"):
            await scope.db.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                    " HAVING max(id) IS NOT NULL"
                )
            )
    return 0
