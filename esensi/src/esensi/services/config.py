"""Key/value configuration (the ``cfg`` table): public pages for the store, settings for staff."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from esensi.models.cms import Cfg
from rlib import Scope


@dataclass(frozen=True, slots=True)
class PublicValue:
    """A public cfg entry as the store shows it; JSON values are decoded."""

    key: str
    content: object


def decode(value: str) -> object:
    """Decode a JSON object or list stored as text; anything else stays text."""
    if value[:1] in ("{", "["):
        try:
            decoded: object = json.loads(value)
        except ValueError:
            return value
        return decoded
    return value


async def public_value(scope: Scope, key: str) -> PublicValue | None:
    """The entry ``key`` if it is marked public, else None (secrets never leave)."""
    row = await scope.db.scalar(select(Cfg).where(Cfg.key == key, Cfg.is_public.is_(True)))
    return PublicValue(key=row.key, content=decode(row.value)) if row else None
