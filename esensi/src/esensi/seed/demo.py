"""``esensi seed --demo``: the demo data set, step by step in foreign-key order."""

from __future__ import annotations

from pathlib import Path

from esensi.seed.book_files import write_demo_book_files
from esensi.seed.bundles import seed_bundles
from esensi.seed.catalog import seed_catalog
from esensi.seed.chapters import seed_chapters
from esensi.seed.cms import seed_cfg, seed_site
from esensi.seed.community import seed_community
from esensi.seed.finance import seed_finance
from esensi.seed.library import seed_library
from esensi.seed.notices import seed_announcements, seed_notices
from esensi.seed.people import seed_people, seed_publishers, seed_staff
from esensi.seed.promos import seed_promo_counts, seed_promos
from esensi.seed.publisher_links import seed_publisher_links
from esensi.seed.review_queue import seed_review_queue
from esensi.seed.runner import BlockStep, Step, run_steps
from esensi.seed.sales import seed_sales
from esensi.seed.security import seed_security, seed_sequences
from esensi.seed.storefront import seed_featured
from esensi.seed.taxonomy import seed_taxonomy
from esensi.seed.welcome import seed_welcome
from esensi.seed.world import Seeding
from esensi.seed.writing_desk import seed_writing_desk
from esensi.settings import DEFAULT_SECRET
from rlib.db.engine import Database

BEFORE = (
    Step("cfg", seed_cfg),
    Step("taxonomy", seed_taxonomy),
    Step("site", seed_site),
    Step("staff", seed_staff),
    Step("publishers", seed_publishers),
    Step("promos", seed_promos),
)
PER_BLOCK = (
    BlockStep("people", seed_people),
    BlockStep("catalog", seed_catalog),
    BlockStep("bundles", seed_bundles),
    BlockStep("chapters", seed_chapters),
    BlockStep("sales", seed_sales),
    BlockStep("library", seed_library),
    BlockStep("finance", seed_finance),
    BlockStep("community", seed_community),
    BlockStep("notices", seed_notices),
)
AFTER = (
    Step("promo counts", seed_promo_counts),
    Step("publisher links", seed_publisher_links),
    Step("security", seed_security),
    Step("announcements", seed_announcements),
    Step("featured", seed_featured),
    Step("sequences", seed_sequences),
    Step("review queue", seed_review_queue),  # after sequences: its notifications take new ids
    Step("writing desk", seed_writing_desk),
    Step("welcome mail", seed_welcome),  # last: queues a welcome per customer for the worker
)


async def seed_demo(
    database: Database, *, scale: int = 1, quiet: bool = False, secret_key: str = DEFAULT_SECRET
) -> dict[str, int]:
    """Insert whatever part of the demo data set is missing; returns rows added per step.

    ``secret_key`` must be the app's (``ESENSI_AUTH__SECRET_KEY``): the demo TOTP secret is
    sealed and the backup codes keyed with it.
    """
    seeding = Seeding(scale, secret_key=secret_key)
    return await run_steps(
        database, seeding, before=BEFORE, per_block=PER_BLOCK, after=AFTER, quiet=quiet
    )


def write_demo_files(directory: Path) -> int:
    """The first block's book files in the private root of ``directory`` (the app's files
    directory); returns how many were missing and written."""
    return write_demo_book_files(directory, Seeding(1).block(0).books)
