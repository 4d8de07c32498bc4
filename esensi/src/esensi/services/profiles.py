"""An author's or publisher's own profile: partial updates with optimistic locking.

Bank details (``BankAccount``) are the payout target of withdrawals; the endpoint asks for a
fresh sign-in before any of them changes (design/security.md S7); this module does not.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import update

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
) -> Profile:
    """The caller's own profile row (the id comes from the session); 404 when it is gone."""
    found = await scope.db.get(model, profile_id)
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
    """Apply ``changes`` (validated, server-owned fields excluded) to the caller's profile in one
    conditional ``UPDATE … RETURNING`` that also checks and bumps ``version``.

    Raises:
        StaleVersionError: 409 when ``version`` is given and the row has moved on.
        NotFoundError: the profile is gone.
    """
    where = [model.id == profile_id]
    if version is not None:
        where.append(model.version == version)
    statement = (
        update(model)
        .where(*where)
        .values(**changes, version=model.version + 1)
        .returning(model)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    found = (await scope.db.scalars(statement)).one_or_none()
    if found is None:
        await own_profile(scope, model, profile_id)  # 404 when gone
        raise StaleVersionError()
    return found
