"""Demo data the store's home page needs beyond the catalogue: the staff-picked featured list."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from esensi.models.cms import Cfg
from esensi.seed.clock import at
from esensi.seed.people import stamps
from esensi.seed.runner import insert_rows
from rlib import Scope

if TYPE_CHECKING:
    from esensi.seed.world import Seeding

FEATURED = 10


async def seed_featured(scope: Scope, seeding: Seeding) -> int:
    """cfg ``featured``: the slugs of block 0's first ten products on sale, in display order."""
    slugs = [book.slug for book in seeding.block(0).books if book.sellable][:FEATURED]
    row = {
        "key": "featured",
        "value": json.dumps(slugs),
        "is_public": True,
        "description": "Product slugs featured on the home page, in order (at most 10)",
        "version": 1,
        **stamps(at(0)),
    }
    return await insert_rows(scope, Cfg, [row])
