"""Demo bundles: a published bundle of one author's books and a draft or paused one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from esensi.models.bundle import Bundle, BundleCategory, BundleProduct
from esensi.models.enums import BundleStatus
from esensi.seed.catalog import BookPlan, categories
from esensi.seed.clock import at
from esensi.seed.keys import seed_id
from esensi.seed.people import AuthorPlan, stamps
from esensi.seed.runner import Tables
from esensi.seed.words import slugify, thousands

if TYPE_CHECKING:
    from esensi.seed.world import Block


@dataclass(frozen=True, slots=True)
class BundlePlan:
    id: uuid.UUID
    name: str
    author: AuthorPlan
    books: tuple[BookPlan, ...]
    status: str
    day: float

    @property
    def strike_price(self) -> Decimal:
        return sum((b.price for b in self.books), Decimal(0))

    @property
    def price(self) -> Decimal:
        return thousands(self.strike_price * Decimal("0.8"))


def plan_bundles(block: int, books: list[BookPlan]) -> list[BundlePlan]:
    """A published bundle of one author's books, and a draft or paused one of another author."""
    by_author: dict[uuid.UUID, list[BookPlan]] = {}
    for book in books:
        if book.sellable:
            by_author.setdefault(book.author.id, []).append(book)
    candidates = [items for items in by_author.values() if len(items) >= 3]
    plans = []
    for n, items in enumerate(candidates[:2]):
        status = BundleStatus.PUBLISHED
        if n == 1:
            status = BundleStatus.DRAFT if block % 2 == 0 else BundleStatus.PAUSED
        author = items[0].author
        plans.append(
            BundlePlan(
                id=seed_id("bundle", f"{block}:{n}"),
                name=f"Paket Hemat {author.name} #{block * 2 + n + 1}",
                author=author,
                books=tuple(items[: 3 - n]),
                status=status.value,
                day=90 + n,
            )
        )
    return plans


def seed_bundles(block: Block) -> Tables:
    """Bundles, their products and categories."""
    bundles: list[dict[str, Any]] = [
        {
            "id": b.id,
            "name": b.name,
            "slug": slugify(b.name),
            "real_price": b.price,
            "strike_price": b.strike_price,
            "currency": "IDR",
            "desc": "Hemat lebih banyak dengan membeli paket: "
            + ", ".join(x.title for x in b.books),
            "info": None,
            "img_file": [],
            "cover": None,
            "sku": None,
            "cfg": None,
            "id_author": b.author.id,
            "status": b.status,
            "version": 1,
            "deleted_at": None,
            **stamps(at(b.day)),
        }
        for b in block.bundles
    ]
    tables: Tables = [(Bundle, bundles)]
    items = [
        {
            "id": seed_id("bundle_product", f"{b.id}:{book.number}"),
            "id_bundle": b.id,
            "id_product": book.product_id,
            "qty": 1,
            "created_at": at(b.day),
        }
        for b in block.bundles
        for book in b.books
    ]
    tables.append((BundleProduct, items))
    filing = [
        {"id_bundle": b.id, "id_category": c, "created_at": at(b.day)}
        for b in block.bundles
        for c in categories(b.books[0].number)
    ]
    return [*tables, (BundleCategory, filing)]
