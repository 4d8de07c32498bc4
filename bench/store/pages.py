"""Scenario (f)'s four pages: the rotation of URLs each page's wrk script cycles through,
drawn from the seeded data (deterministically), and which apps serve each page."""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import quote

import asyncpg

from bench.store.config import StoreConfig

SEED = 17
# Words of the demo titles that each hit about 3-5% of the products (trigram-indexed ILIKE).
SEARCH_TERMS = (
    "pantai",
    "merapi",
    "jendela",
    "pelabuhan",
    "kemarau",
    "lereng",
    "danau",
    "rindu",
    "lentera",
    "senja",
)
SAMPLED = 500  # products and books in the product and title rotations
TARGETS = {"cpu_o_over_h": 0.80, "cpu_o_over_f": 3.0}
TARGETS_NO_F = {"cpu_o_over_h": 0.80}


@dataclass(frozen=True, slots=True)
class Page:
    """One row of the results table: ``f-<name>``."""

    name: str
    title: str
    apps: tuple[str, ...]
    urls: tuple[str, ...]
    targets: dict[str, float]


def _shuffled(urls: list[str], seed: int) -> tuple[str, ...]:
    random.Random(SEED + seed).shuffle(urls)
    return tuple(urls)


async def _slugs(conn: asyncpg.Connection, query: str) -> list[str]:
    return [row[0] for row in await conn.fetch(query, SAMPLED)]


_PRODUCTS = (
    "SELECT slug FROM product WHERE status = 'published' AND deleted_at IS NULL"
    " ORDER BY md5(slug) LIMIT $1"
)
_BOOKS = (
    "SELECT slug FROM book WHERE is_chapter AND status = 'published' AND deleted_at IS NULL"
    " ORDER BY md5(slug) LIMIT $1"
)


async def build(cfg: StoreConfig) -> list[Page]:
    """The four pages in run order (issue 17: ``browse/1``, ``product/<slug>``,
    ``search/<q>/1``, ``title/<slug>``); every rotation is the same for the same data."""
    conn = await asyncpg.connect(cfg.dsn)
    try:
        products = await _slugs(conn, _PRODUCTS)
        books = await _slugs(conn, _BOOKS)
    finally:
        await conn.close()
    browse = ["/browse/1"]
    search = [f"/search/{quote(term)}/1" for term in SEARCH_TERMS]
    return [
        Page(
            "f-browse",
            "store browse/<page>, 24 cards + count",
            ("H", "O", "F"),
            _shuffled(browse, 1),
            TARGETS,
        ),
        Page(
            "f-product",
            "store product/<slug>: author, categories, 10 related",
            ("H", "O", "F"),
            _shuffled([f"/product/{s}" for s in products], 2),
            TARGETS,
        ),
        Page(
            "f-search",
            "store search/<q>/<page>: trigram ILIKE on products + bundles",
            ("H", "O"),
            _shuffled(search, 3),
            TARGETS_NO_F,
        ),
        Page(
            "f-title",
            "chapter title/<slug>: book, author, chapters, rating, reviews",
            ("H", "O"),
            _shuffled([f"/chapter/title/{s}" for s in books], 4),
            TARGETS_NO_F,
        ),
    ]
