"""The plan of the demo data set: fixed parts plus ``scale`` blocks of bulk data.

A block is a self-contained slice (authors, books, customers, orders, ...) whose rows depend only
on its number, so ``--scale 10`` is block 0 (the ``--scale 1`` data set) plus blocks 1-9, and
growing the scale later only adds rows. Blocks reference the fixed parts (staff, publishers,
taxonomy, promo codes) but never each other. The plan is pure Python; steps turn it into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from esensi.seed.bundles import BundlePlan, plan_bundles
from esensi.seed.catalog import BookPlan, plan_books
from esensi.seed.chapters import ChapterPlan, plan_chapters
from esensi.seed.finance import LedgerPlan, plan_ledger
from esensi.seed.orders import OrderPlan, plan_orders
from esensi.seed.people import PASSWORDS, AuthorPlan, CustomerPlan, plan_authors, plan_customers
from esensi.settings import DEFAULT_SECRET
from rlib.auth.passwords import hash_password


@dataclass(slots=True)
class Seeding:
    """One run of the seed: its scale, the app secret (it seals the demo TOTP secret and keys
    the backup codes) and the password hashes made so far (each made once)."""

    scale: int
    secret_key: str = DEFAULT_SECRET
    _hashes: dict[str, str] = field(default_factory=dict)

    def password_hash(self, kind: str) -> str:
        """The argon2id hash of the demo password of user type ``kind``; hashed once per run."""
        if kind not in self._hashes:
            self._hashes[kind] = hash_password(PASSWORDS[kind])
        return self._hashes[kind]

    def block(self, number: int) -> Block:
        return Block(number, self)


class Block:
    """The plan of block ``number``; each part is computed once, on first use."""

    def __init__(self, number: int, seeding: Seeding) -> None:
        self.number = number
        self.seeding = seeding

    @cached_property
    def authors(self) -> list[AuthorPlan]:
        return plan_authors(self.number)

    @cached_property
    def customers(self) -> list[CustomerPlan]:
        return plan_customers(self.number)

    @cached_property
    def books(self) -> list[BookPlan]:
        return plan_books(self.number, self.authors)

    @cached_property
    def bundles(self) -> list[BundlePlan]:
        return plan_bundles(self.number, self.books)

    @cached_property
    def chapters(self) -> list[ChapterPlan]:
        return plan_chapters(self.books)

    @cached_property
    def orders(self) -> list[OrderPlan]:
        return plan_orders(self.number, self.customers, self.books, self.bundles)

    @cached_property
    def ledger(self) -> LedgerPlan:
        return plan_ledger(self.number, self.authors, self.orders)
