"""Which login a profile links to: the profile's ``id_user`` first, ``auth_user.id_<type>`` as
the fallback.

The original stored the link three ways (spec/models.md section 2): ``<profile>.id_user``
(no foreign key), ``auth_user.id_customer``/``id_author``/``id_publisher``/``id_affiliate``/
``id_internal`` (foreign keys, set by onboarding), and ``id_account``. Ours keeps one:
``<profile>.id_user``, unique per profile type. For each profile type, in the profiles'
import order:

1. the profile side: a link to a login that was imported and not already claimed by an
   earlier profile of the type is kept, anything else cleared (reported);
2. the login side, for the profiles still without a login: the oldest imported login whose
   ``id_<type>`` points at the profile and that no profile of the type holds yet is linked
   (reported as taken from the login side); other logins pointing there are not linked
   (reported), nor is one already holding another profile of the type (reported);
3. a profile that kept its own link while logins point at it from the login side keeps its
   own; the disagreement is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import asyncpg

from esensi.importer.links import imported_ids
from esensi.importer.report import Report

LOGIN_COLUMN = {
    "customer": "id_customer",
    "author": "id_author",
    "publisher": "id_publisher",
    "affiliate": "id_affiliate",
    "internal": "id_internal",
}
CLEARED = "login missing or already linked: link cleared"


async def login_side(
    source: asyncpg.Connection, profile: str, users: set[Any]
) -> dict[Any, list[Any]]:
    """profile id → the imported logins pointing at it from ``auth_user``, oldest first."""
    column = LOGIN_COLUMN[profile]
    rows = await source.fetch(
        f"SELECT id, {column} AS profile FROM auth_user "
        f"WHERE {column} IS NOT NULL ORDER BY created_at, id"
    )
    pointing: dict[Any, list[Any]] = {}
    for row in rows:
        if row["id"] in users:
            pointing.setdefault(row["profile"], []).append(row["id"])
    return pointing


async def profile_links(
    source: asyncpg.Connection, report: Report, profile: str, rows: Iterable[asyncpg.Record]
) -> dict[Any, tuple[Any, list[str]]]:
    """:func:`resolve_links` for ``rows`` (the profiles about to be imported)."""
    users = await imported_ids(source, report, "auth_user")
    return resolve_links(profile, rows, users, await login_side(source, profile, users))


def resolve_links(
    profile: str,
    rows: Iterable[asyncpg.Record],
    users: set[Any],
    pointing: dict[Any, list[Any]],
) -> dict[Any, tuple[Any, list[str]]]:
    """profile id → (the login to link or None, the notes to report)."""
    rows = list(rows)
    column = LOGIN_COLUMN[profile]
    claimed: set[Any] = set()
    links: dict[Any, tuple[Any, list[str]]] = {}
    for row in rows:
        user, notes = row["id_user"], []
        if user is not None and (user not in users or user in claimed):
            user, notes = None, [CLEARED]
        if user is not None:
            claimed.add(user)
        links[row["id"]] = (user, notes)
    for row in rows:
        user, notes = links[row["id"]]
        candidates = pointing.get(row["id"], [])
        if user is not None:
            if any(c != user for c in candidates):
                notes.append(f"auth_user.{column} of another login disagrees: profile side kept")
            continue
        free = [c for c in candidates if c not in claimed]
        if free:
            user = free[0]
            claimed.add(user)
            notes.append(f"linked from auth_user.{column}")
            if len(candidates) > 1:
                notes.append(f"{len(candidates) - 1} more login(s) point here: not linked")
        elif candidates:
            notes.append(f"auth_user.{column} login already holds another {profile}: not linked")
        links[row["id"]] = (user, notes)
    return links
