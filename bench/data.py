"""The deterministic data set: a fixed seed and fixed syllables, so every load is identical.

Product names are three words; the search terms are words chosen so that each one matches
0.1-5% of the rows (the loader checks this and records the hit rates).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

SEED = 20240601
SCHEMA_VERSION = 2  # 2: the outbox table has rlib's outbox columns
_SYLLABLE_TEXT = (
    "ba be bi bu da de di du ga gi gu ka ke ki ku la le li lu ma me mi mu na ne ni nu pa pe pi pu"
    " ra re ri ru sa se si su ta te ti tu wa wi ya yu ja jo ho ha"
)
_SYLLABLES = tuple(_SYLLABLE_TEXT.split())
_STATUSES = ("published", "published", "published", "draft")
_COUNTRIES = ("ID", "MY", "SG", "NL", "JP")
EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
_FAR_FUTURE = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
CATEGORY_COUNT = 40


@dataclass(frozen=True, slots=True)
class Scale:
    """How much data: the full bench set, or a tiny one for the smoke test."""

    authors: int = 1_000
    products: int = 100_000
    users: int = 10_000
    tokens_out: int = 1_000

    @property
    def key(self) -> str:
        return f"v{SCHEMA_VERSION}-s{SEED}-a{self.authors}-p{self.products}-u{self.users}"


FULL = Scale()
TINY = Scale(authors=20, products=400, users=50, tokens_out=50)


def _words(rng: random.Random, count: int) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen["".join(rng.choice(_SYLLABLES) for _ in range(3))] = None
    return list(seen)


WORDS = _words(random.Random(SEED), 120)
SEARCH_TERMS = tuple(WORDS[:8])
CATEGORIES = tuple(f"cat-{i:02d}" for i in range(CATEGORY_COUNT))


def authors(scale: Scale) -> Iterator[tuple[int, str, str]]:
    rng = random.Random(SEED + 1)
    for author_id in range(1, scale.authors + 1):
        name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}"
        yield author_id, name, rng.choice(_COUNTRIES)


ProductRow = tuple[int, int, str, str, Decimal, str, str, dt.datetime, dt.datetime | None]


def products(scale: Scale) -> Iterator[ProductRow]:
    rng = random.Random(SEED + 2)
    for product_id in range(1, scale.products + 1):
        name = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()
        description = " ".join(rng.choice(WORDS) for _ in range(12))
        published = EPOCH + dt.timedelta(seconds=rng.randrange(4 * 365 * 86_400))
        deleted = published + dt.timedelta(days=30) if rng.random() < 0.02 else None
        yield (
            product_id,
            rng.randint(1, scale.authors),
            name,
            description,
            Decimal(rng.randint(1_000, 500_000)) / 100,
            rng.choice(CATEGORIES),
            rng.choice(_STATUSES),
            published,
            deleted,
        )


def raw_token(user_id: int) -> str:
    return hashlib.sha256(f"bench-token-{SEED}-{user_id}".encode()).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def users(scale: Scale) -> Iterator[tuple[int, str, str]]:
    for user_id in range(1, scale.users + 1):
        yield user_id, f"user{user_id}@bench.test", f"User {user_id}"


def sessions(scale: Scale) -> Iterator[tuple[int, int, str, dt.datetime]]:
    for user_id in range(1, scale.users + 1):
        yield user_id, user_id, token_hash(raw_token(user_id)), _FAR_FUTURE
