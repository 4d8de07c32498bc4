"""Rules shared by the catalogue tables: slugs, free-text statuses, money, file lists, JSON.

The original checked slug uniqueness in the application only (and not at all on import
scripts), so duplicates exist; ours is a partial unique index on live rows. The first live
claim of a slug keeps it, a later one is imported with the deterministic suffix
``-<id prefix>`` and reported as repaired, so a second run produces the same slug.
"""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from typing import Any

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
DUPLICATE_SLUG = "duplicate slug: suffixed"


def slugify(text: str) -> str:
    """``Buku Bagus!`` → ``buku-bagus``; the shape our slug columns accept."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


class SlugClaims:
    """One table's live slugs: the first claim keeps a slug, a later one gets a suffix."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def claim(
        self, raw: str | None, fallback: str, source_id: uuid.UUID, *, live: bool
    ) -> tuple[str, str | None]:
        """(the slug to import, the repair to report or None)."""
        slug = slugify(raw or "")
        repair = None
        if not slug or slug != raw:
            slug, repair = slug or slugify(fallback) or source_id.hex[:8], "slug normalised"
        if not live:
            return slug, repair  # soft-deleted rows do not hold their slug (partial index)
        if slug in self.seen:
            slug, repair = f"{slug}-{source_id.hex[:8]}", DUPLICATE_SLUG
        self.seen.add(slug)
        return slug, repair


def map_status(raw: str | None, table: dict[str, str], unknown: str) -> tuple[str, str | None]:
    """(our status, the repair to report): known spellings map through ``table`` (keys in
    lower case), anything else imports as ``unknown`` (a hidden state) and is reported."""
    key = (raw or "").strip().lower()
    if key in table:
        return table[key], None
    return unknown, f"unknown status {raw!r}: imported as {unknown}"


def negative(*amounts: Decimal | None) -> bool:
    return any(amount is not None and amount < 0 for amount in amounts)


def json_value(raw: Any) -> Any:
    """asyncpg hands jsonb over as text."""
    if raw is None or not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return None


def file_list(raw: str | None) -> list[str]:
    """The original kept file lists as JSON inside text, or a bare path, or ``''``."""
    text = (raw or "").strip()
    if not text:
        return []
    parsed = json_value(text)
    if isinstance(parsed, list):
        return [str(item) for item in parsed if item]
    return [text]


def blank_none(raw: str | None) -> str | None:
    """The original's ``NOT NULL DEFAULT ''`` columns are our nullable ones."""
    return raw if raw and raw.strip() else None
