"""``esensi seed --demo``: the demo data set, step by step."""

from __future__ import annotations

from esensi.seed.cms import seed_cfg
from esensi.seed.mail import seed_mail
from esensi.seed.runner import Step, run_steps
from esensi.seed.taxonomy import seed_taxonomy
from rlib.db.engine import Database

STEPS = (
    Step("cfg", seed_cfg),
    Step("taxonomy", seed_taxonomy),
    Step("mail", seed_mail),  # last: welcomes the customers the steps above created
)


async def seed_demo(database: Database, *, scale: int = 1, quiet: bool = False) -> dict[str, int]:
    """Insert whatever part of the demo data set is missing; returns rows added per step."""
    return await run_steps(database, STEPS, scale=scale, quiet=quiet)
