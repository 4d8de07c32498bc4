"""Logins and their credentials: ``auth_user`` and ``auth_account``.

Emails are normalised (trimmed, lower case). The original's unique index is case-sensitive,
so two logins may differ only by case: the oldest keeps the address, each later one is
imported with a deterministic ``+dup-<id prefix>`` suffix and reported as repaired (merging
two people's orders is not safe to do blindly; the operator decides from the report). Emails
without a usable shape are rejected. Credential rows keep better-auth's scrypt hash, which the
first sign-in verifies and replaces by argon2id (rlib.auth.passwords); Google links keep their
provider id. Sessions are not imported: everyone signs in again.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import asyncpg

from esensi.importer.report import Report
from esensi.importer.sink import Sink
from esensi.models.enums import AuthProvider

EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """The original stores naive UTC (Prisma's timestamp(3)); ours are aware."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def unique_email(email: str, source_id: uuid.UUID) -> str:
    local, domain = email.split("@", 1)
    return f"{local}+dup-{source_id.hex[:8]}@{domain}"


DUPLICATE_EMAIL = "duplicate email (by case): suffixed"


class EmailClaims:
    """One table's addresses, normalised: the first claim of an address keeps it, a later one
    (differing at most by case) gets :func:`unique_email`."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def claim(self, raw: object, source_id: uuid.UUID) -> tuple[str | None, str | None]:
        """(the address to import, the repair to report) — (None, None) when it has no usable
        shape and the row is to be rejected."""
        email = str(raw).strip().lower()
        if not EMAIL_SHAPE.match(email):
            return None, None
        repair = None
        if email in self.seen:
            email, repair = unique_email(email, source_id), DUPLICATE_EMAIL
        self.seen.add(email)
        return email, repair


async def import_users(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    """``auth_user`` rows, oldest first so the oldest login keeps a contested address."""
    rows = await source.fetch("SELECT * FROM auth_user ORDER BY created_at, id")
    table = report.table("auth_user")
    table.source = len(rows)
    emails = EmailClaims()
    batch: list[dict[str, Any]] = []
    for row in rows:
        original = dict(row)
        email, repair = emails.claim(row["email"], row["id"])
        if email is None:
            report.reject("auth_user", "invalid email", original)
            continue
        if repair is not None:
            report.repair("auth_user", repair, original)
        batch.append(
            {
                "id": row["id"],
                "name": row["name"],
                "email": email,
                "email_verified": row["email_verified"],
                "image": report.uploads.single("auth_user", row["id"], "image", row["image"]),
                "two_factor_enabled": bool(row["two_factor_enabled"]),
                "created_at": utc(row["created_at"]),
                "updated_at": utc(row["updated_at"] or row["created_at"]),
            }
        )
    await sink.write("auth_user", batch)
    table.imported = len(batch)


async def import_accounts(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    """``auth_account``: credentials and Google links of imported logins."""
    imported_users = {
        row["id"] for row in await source.fetch("SELECT id, email FROM auth_user")
    } - {row["id"] for _, row in report.table("auth_user").rejected}
    rows = await source.fetch("SELECT * FROM auth_account ORDER BY created_at, id")
    table = report.table("auth_account")
    table.source = len(rows)
    providers = {provider.value for provider in AuthProvider}
    batch: list[dict[str, Any]] = []
    for row in rows:
        original = dict(row)
        if row["id_user"] not in imported_users:
            report.reject("auth_account", "login not imported (orphan or rejected)", original)
            continue
        if row["id_provider"] not in providers:
            report.reject("auth_account", f"unknown provider {row['id_provider']!r}", original)
            continue
        batch.append(
            {
                "id": row["id"],
                "id_user": row["id_user"],
                "id_provider": row["id_provider"],
                "id_account": row["id_account"] or str(row["id_user"]),
                "password": row["password"],
                "scope": row["scope"],
                "created_at": utc(row["created_at"]),
                "updated_at": utc(row["updated_at"] or row["created_at"]),
            }
        )
    await sink.write("auth_account", batch)
    table.imported = len(batch)
