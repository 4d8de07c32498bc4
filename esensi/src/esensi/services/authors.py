"""An author's own view of their profile and catalogue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping

from esensi.models.author import Author
from esensi.models.book import Book
from esensi.models.bundle import Bundle
from esensi.models.product import Product
from rlib import NotFoundError, Scope

RECENT = 10


@dataclass(frozen=True, slots=True)
class AuthorSummary:
    """Profile (no bank details), counts and the latest books, products and bundles."""

    author: Author
    counts: dict[str, int]
    recent: dict[str, list[RowMapping]]


async def _count(scope: Scope, model: Any, author_id: uuid.UUID) -> int:
    found = await scope.db.scalar(
        select(func.count())
        .select_from(model)
        .where(model.id_author == author_id, model.deleted_at.is_(None))
    )
    return found or 0


async def _recent(scope: Scope, model: Any, author_id: uuid.UUID) -> list[RowMapping]:
    rows = await scope.db.execute(
        select(model.id, model.name, model.slug, model.status, model.created_at)
        .where(model.id_author == author_id, model.deleted_at.is_(None))
        .order_by(model.created_at.desc(), model.id.desc())
        .limit(RECENT)
    )
    return list(rows.mappings())


async def summary(scope: Scope, author_id: uuid.UUID) -> AuthorSummary:
    """The author's profile with counts and the ten latest items of each kind."""
    author = await scope.db.get(Author, author_id)
    if author is None:
        raise NotFoundError("resource.author")
    kinds = {"books": Book, "products": Product, "bundles": Bundle}
    counts = {name: await _count(scope, model, author_id) for name, model in kinds.items()}
    recent = {name: await _recent(scope, model, author_id) for name, model in kinds.items()}
    return AuthorSummary(author=author, counts=counts, recent=recent)
