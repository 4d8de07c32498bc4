"""Deterministic ids: a name always gives the same row id, so seeding twice changes nothing."""

from __future__ import annotations

import uuid

SEED_NAMESPACE = uuid.UUID("5e5e0000-e5e5-4000-8000-00000000e5e5")


def seed_id(kind: str, name: str) -> uuid.UUID:
    """The id of the seeded ``kind`` row called ``name``."""
    return uuid.uuid5(SEED_NAMESPACE, f"{kind}:{name}")
