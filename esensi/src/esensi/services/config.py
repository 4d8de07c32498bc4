"""Key/value configuration (the ``cfg`` table): public pages for the store, settings for staff."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from esensi.models.cms import Cfg
from rlib import NotFoundError, Scope
from rlib.db.base import utcnow
from rlib.errors import StaleVersionError


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


@dataclass(frozen=True, slots=True)
class CfgPage:
    """A page of cfg rows for staff."""

    rows: list[Cfg]
    total: int


async def list_entries(scope: Scope, *, search: str | None, page: int, limit: int) -> CfgPage:
    """Cfg rows ordered by key, optionally filtered by a case-insensitive key search."""
    where = [Cfg.key.ilike(f"%{_escape_like(search)}%", escape="\\")] if search else []
    total = await scope.db.scalar(select(func.count()).select_from(Cfg).where(*where))
    rows = await scope.db.scalars(
        select(Cfg).where(*where).order_by(Cfg.key).offset((page - 1) * limit).limit(limit)
    )
    return CfgPage(rows=list(rows), total=total or 0)


async def get_entry(scope: Scope, key: str) -> Cfg:
    """The cfg row ``key``; 404 when absent."""
    row = await scope.db.get(Cfg, key)
    if row is None:
        raise NotFoundError("resource.cfg")
    return row


async def create_entry(
    scope: Scope, *, key: str, value: str, is_public: bool, description: str | None
) -> Cfg:
    """Add a cfg row; a taken key is a 409 from the primary key."""
    row = Cfg(key=key, value=value, is_public=is_public, description=description)
    scope.db.add(row)
    await scope.db.flush()
    return row


async def update_entry(scope: Scope, key: str, *, version: int, changes: dict[str, object]) -> Cfg:
    """Apply ``changes`` when ``version`` is current (409 otherwise); the version increments."""
    result = await scope.db.execute(
        update(Cfg)
        .where(Cfg.key == key, Cfg.version == version)
        .values(**changes, version=Cfg.version + 1, updated_at=utcnow())
        .returning(Cfg.key)
    )
    if result.scalar_one_or_none() is None:
        await get_entry(scope, key)
        raise StaleVersionError()
    scope.db.expire_all()
    return await get_entry(scope, key)


async def delete_entry(scope: Scope, key: str) -> None:
    """Remove a cfg row; 404 when absent."""
    result = await scope.db.execute(delete(Cfg).where(Cfg.key == key).returning(Cfg.key))
    if result.scalar_one_or_none() is None:
        raise NotFoundError("resource.cfg")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
