"""Deterministic ids and randomness: a name always gives the same row, so seeding twice changes
nothing, and the same scale always gives the same data set."""

from __future__ import annotations

import random
import uuid

SEED_NAMESPACE = uuid.UUID("5e5e0000-e5e5-4000-8000-00000000e5e5")
# bigint identity keys (notif, audit_log): ids below FIRST_BLOCK_ID belong to the fixed part of
# the data set, block n owns the SPAN ids from FIRST_BLOCK_ID + n * SPAN.
FIRST_BLOCK_ID = 10_000
SPAN = 100_000


def seed_id(kind: str, name: str) -> uuid.UUID:
    """The id of the seeded ``kind`` row called ``name``."""
    return uuid.uuid5(SEED_NAMESPACE, f"{kind}:{name}")


def rng(*parts: object) -> random.Random:
    """A generator seeded from ``parts`` (string seeds hash with SHA-512: stable across runs)."""
    return random.Random(":".join(str(part) for part in parts))
