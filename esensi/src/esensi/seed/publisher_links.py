"""The main demo publisher's links in all three states (spec/workflows.md 2.4).

The blocks already give ``penerbit@esensi.online`` an ``active`` author (index 0) and an
``invited`` one (index 4); this adds a ``declined`` link to an author of block 0 without a
publisher, so one account shows every state of ``publisher_author/list``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from esensi.models.enums import LinkStatus
from esensi.models.publisher import PublisherAuthor
from esensi.seed.clock import at
from esensi.seed.keys import seed_id
from esensi.seed.people import plan_authors, publisher_id, stamps
from esensi.seed.runner import insert_rows
from rlib import Scope

if TYPE_CHECKING:
    from esensi.seed.world import Seeding

MAIN_PUBLISHER = 0
DECLINING_AUTHOR = 7  # block 0's author 7 has no link of its own


async def seed_publisher_links(scope: Scope, seeding: Seeding) -> int:
    """One ``declined`` link of the main demo publisher; returns the rows added."""
    author = plan_authors(0)[DECLINING_AUTHOR]
    assert author.link is None, "the declining author must not be linked by the blocks"
    row = {
        "id": seed_id("publisher_author", f"declined:{author.id}"),
        "publisher_id": publisher_id(MAIN_PUBLISHER),
        "author_id": author.id,
        "status": LinkStatus.DECLINED.value,
        **stamps(at(20)),
    }
    return await insert_rows(scope, PublisherAuthor, [row])
