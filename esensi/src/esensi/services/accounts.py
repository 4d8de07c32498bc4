"""Which profiles (user types) a login has."""

from __future__ import annotations

import uuid

from sqlalchemy import literal, select, union_all

from esensi.models.affiliate import Affiliate
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.internal import Internal
from esensi.models.publisher import Publisher
from rlib import Scope

PROFILE_MODELS: dict[str, type[Customer | Author | Publisher | Internal | Affiliate]] = {
    "customer": Customer,
    "author": Author,
    "publisher": Publisher,
    "internal": Internal,
    "affiliate": Affiliate,
}


async def profile_types(scope: Scope, user_id: uuid.UUID) -> set[str]:
    """The user types for which ``user_id`` has a profile, in one query."""
    parts = [
        select(literal(name).label("kind")).select_from(model).where(model.id_user == user_id)
        for name, model in PROFILE_MODELS.items()
    ]
    rows = await scope.db.execute(union_all(*parts))
    return {str(kind) for (kind,) in rows}
