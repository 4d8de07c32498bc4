"""An author's or publisher's own profile: partial updates with optimistic locking.

Bank details (``BankAccount``) are the payout target of withdrawals; the endpoint asks for a
fresh sign-in before any of them changes (design/security.md S7). This module only writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from esensi.models.author import Author
from esensi.models.publisher import Publisher
from rlib import NotFoundError, Scope
from rlib.errors import StaleVersionError

BANK_FIELDS = frozenset({"bank_account_number", "bank_account_provider", "bank_account_name"})
Profile = TypeVar("Profile", Author, Publisher)
RESOURCES: dict[type[Any], str] = {Author: "resource.author", Publisher: "resource.publisher"}


def touches_bank(changes: Mapping[str, Any]) -> bool:
    """True when ``changes`` sets any bank field (even to null)."""
    return not BANK_FIELDS.isdisjoint(changes)


async def own_profile(
    scope: Scope,
    model: type[Profile],
    profile_id: uuid.UUID,
    *,
    lock: bool = False,
) -> Profile:
    """The caller's own profile row (the id comes from the session); 404 when it is gone."""
    found = await scope.db.get(model, profile_id, with_for_update=lock)
    if found is None:
        raise NotFoundError(RESOURCES[model])
    return found


async def update_own(
    scope: Scope,
    model: type[Profile],
    profile_id: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    version: int | None,
) -> Profile:
    """Apply ``changes`` (already validated, server-owned fields excluded) to the caller's profile.

    Raises:
        StaleVersionError: 409 when ``version`` is given and the row has moved on.
    """
    profile = await own_profile(scope, model, profile_id, lock=True)
    if version is not None and version != profile.version:
        raise StaleVersionError()
    for field, value in changes.items():
        setattr(profile, field, value)
    profile.version += 1
    await scope.db.flush()
    return profile
