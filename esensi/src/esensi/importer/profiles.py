"""Customer profiles (``customer``), linked to the logins imported before them.

The original never constrained ``customer.id_user`` nor the contact columns:
- a link to a login that is missing (or was rejected), or already held by an earlier customer,
  is cleared, and the row reported; a customer left without a login is linked from
  ``auth_user.id_customer`` when an unclaimed login points at it
  (:mod:`esensi.importer.login_links`, reported);
- emails are normalised; an invalid email rejects the row (ours requires one), a duplicate
  (by case) gets the same deterministic ``+dup-<id prefix>`` suffix as logins;
- WhatsApp numbers are normalised to E.164 (``08…`` → ``+628…``); one that is not a phone
  number is cleared (the column is optional) and reported.
"""

from __future__ import annotations

import re
from typing import Any

import asyncpg

from esensi.importer.cleaning import json_value
from esensi.importer.identity import EMAIL_SHAPE, EmailClaims, utc
from esensi.importer.login_links import profile_links
from esensi.importer.report import Report
from esensi.importer.sink import Sink

_DIGITS = re.compile(r"^\+?[0-9]{8,15}$")


def e164(phone: str | None) -> str | None:
    """The Indonesian number in E.164, or None when ``phone`` is not a phone number."""
    if not phone:
        return None
    compact = re.sub(r"[\s.()-]", "", phone)
    if not _DIGITS.match(compact):
        return None
    if compact.startswith("0"):
        return "+62" + compact[1:]
    if compact.startswith("62"):
        return "+" + compact
    return compact if compact.startswith("+") else None


async def import_customers(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    """``customer`` rows; login links as :mod:`esensi.importer.login_links` resolves them."""
    rows = await source.fetch("SELECT * FROM customer ORDER BY id")
    table = report.table("customer")
    table.source = len(rows)
    valid = [r for r in rows if EMAIL_SHAPE.match(str(r["email"]).strip().lower())]
    links = await profile_links(source, report, "customer", valid)
    emails = EmailClaims()
    batch: list[dict[str, Any]] = []
    for row in rows:
        original = dict(row)
        email, repair = emails.claim(row["email"], row["id"])
        if email is None:
            report.reject("customer", "invalid email", original)
            continue
        reasons = [] if repair is None else [repair]
        id_user, notes = links[row["id"]]
        reasons += notes
        whatsapp = e164(row["whatsapp"])
        if row["whatsapp"] and whatsapp is None:
            reasons.append("invalid phone: cleared")
        if reasons:
            report.repair("customer", "; ".join(reasons), original)
        batch.append(
            {
                "id": row["id"],
                "name": row["name"],
                "email": email,
                "whatsapp": whatsapp,
                "id_user": id_user,
                "deleted_at": utc(row["deleted_at"]),
            }
        )
    await sink.write("customer", batch)
    table.imported = len(batch)


async def import_authors(source: asyncpg.Connection, sink: Sink, report: Report) -> None:
    """``author`` rows: login links as :mod:`esensi.importer.login_links` resolves them (ours
    allows one author profile per login)."""
    rows = await source.fetch("SELECT * FROM author ORDER BY id")
    table = report.table("author")
    table.source = len(rows)
    links = await profile_links(source, report, "author", rows)
    batch: list[dict[str, Any]] = []
    for row in rows:
        id_user, notes = links[row["id"]]
        if notes:
            report.repair("author", "; ".join(notes), dict(row))
        social = json_value(row["social_media"])
        batch.append(
            {
                "id": row["id"],
                "name": row["name"],
                "biography": row["biography"],
                # Was free text: a JSON object is kept, anything else kept as one link.
                "social_media": social
                if isinstance(social, dict)
                else ({"link": row["social_media"]} if row["social_media"] else None),
                "avatar": report.uploads.single("author", row["id"], "avatar", row["avatar"]),
                "cfg": json_value(row["cfg"]),
                "bank_account_number": row["bank_account_number"],
                "bank_account_provider": row["bank_account_provider"],
                "id_user": id_user,
            }
        )
    await sink.write("author", batch)
    table.imported = len(batch)
