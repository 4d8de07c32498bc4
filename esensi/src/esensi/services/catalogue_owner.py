"""Which products and bundles a signed-in author or publisher may see and manage.

An author manages their own; a publisher those of its actively linked authors
(``ownership.managed_author_ids``). A row outside that set answers exactly like a missing id.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from esensi.models.bundle import Bundle
from esensi.models.product import Product
from esensi.services import ownership
from rlib import FieldError, NotFoundError, Scope, ValidationError
from rlib.errors import StaleVersionError


async def owner_ids(scope: Scope) -> list[uuid.UUID]:
    """The author ids the caller manages (empty when none)."""
    found = await ownership.managed_author_ids(scope)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def chosen_owner(owners: list[uuid.UUID], named: uuid.UUID | None) -> uuid.UUID:
    """The owner of a new row: the author themself, or the active author a publisher names."""
    if named is None and len(owners) == 1:
        return owners[0]
    if named is not None and named in owners:
        return named
    raise ValidationError([FieldError(loc=("body", "id_author"), key="v.owner")])


async def own_product(scope: Scope, product_id: uuid.UUID, *, lock: bool = False) -> Product:
    """The live product ``product_id`` of a managed author; 404 otherwise (no hint why)."""
    owners = await owner_ids(scope)
    query = select(Product).where(
        Product.id == product_id, Product.deleted_at.is_(None), Product.id_author.in_(owners)
    )
    found = await scope.db.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFoundError("resource.product")
    return found


async def own_bundle(
    scope: Scope,
    bundle_id: uuid.UUID | None = None,
    *,
    slug: str | None = None,
    lock: bool = False,
) -> Bundle:
    """The live bundle (by id, else by slug) of a managed author; 404 otherwise."""
    owners = await owner_ids(scope)
    key = Bundle.id == bundle_id if bundle_id is not None else Bundle.slug == slug
    query = select(Bundle).where(key, Bundle.deleted_at.is_(None), Bundle.id_author.in_(owners))
    found = await scope.db.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFoundError("resource.bundle")
    return found


def check_version(current: int, expected: int | None) -> None:
    """409 when the editor read another version than the stored one."""
    if expected is not None and expected != current:
        raise StaleVersionError()
