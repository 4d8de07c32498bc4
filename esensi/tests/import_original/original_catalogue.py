"""The fixture's catalogue beyond products: taxonomy trees and product links, dirty as well.

Planted kinds: taxonomy nodes without a slug (``missing_taxon_slug``), slugs repeated within a
tree (``duplicate_taxon_slug``), one loop of parents in ``category`` (``parent_loop``: the
original's self foreign key cannot prevent it), and product-category pairs written twice
(``duplicate_link``; the original's link tables have a surrogate id and no unique pair).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import asyncpg

if TYPE_CHECKING:
    from import_original.original_data import _Gen

TREE_SIZE = {"category": 12, "genre": 8, "tags": 8}


async def _tree(conn: asyncpg.Connection, gen: _Gen, name: str) -> list[uuid.UUID]:
    ids = [gen.uid() for _ in range(TREE_SIZE[name])]
    rows = []
    for n, node in enumerate(ids):
        parent = ids[n // 3 - 1] if n >= 3 else None
        slug: str | None = f"{name}-{n}"
        if n == 5:
            slug = None
            gen.planted.plant("missing_taxon_slug")
        if n == 7:
            slug = f"{name}-6"
            gen.planted.plant("duplicate_taxon_slug")
        rows.append((node, f"{name.title()} {n}", slug, parent))
    await conn.executemany(
        f'INSERT INTO "{name}" (id, name, slug, id_parent) VALUES ($1, $2, $3, $4)',
        rows,
    )
    gen.planted.rows[name] = len(rows)
    return ids


async def taxonomies(conn: asyncpg.Connection, gen: _Gen) -> dict[str, list[uuid.UUID]]:
    """All three trees; returns each tree's ids."""
    trees = {name: await _tree(conn, gen, name) for name in TREE_SIZE}
    categories = trees["category"]
    # Two roots made each other's parent: written after both exist, as a bad edit would.
    first, second = categories[0], categories[1]
    await conn.execute("UPDATE category SET id_parent = $1 WHERE id = $2", second, first)
    await conn.execute("UPDATE category SET id_parent = $1 WHERE id = $2", first, second)
    gen.planted.plant("parent_loop")
    return trees


async def product_links(
    conn: asyncpg.Connection, gen: _Gen, products: list[uuid.UUID], categories: list[uuid.UUID]
) -> None:
    rows = []
    for n, product in enumerate(products):
        for category in gen.rng.sample(categories, gen.rng.randint(1, 2)):
            rows.append((gen.uid(), product, category))
        if n % 30 == 8:  # never a product the import rejects, so the count is exact
            rows.append((gen.uid(), product, rows[-1][2]))
            gen.planted.plant("duplicate_link")
    await conn.executemany(
        "INSERT INTO product_category (id, id_product, id_category) VALUES ($1, $2, $3)", rows
    )
    gen.planted.rows["product_category"] = len(rows)


BUNDLE_STATUSES = ("draft", "published", "active", "deleted")
BUNDLE_DEFECTS = {
    1: ("bundle_author_derived", {"author": None}),
    3: ("bundle_without_author", {"author": None}),
    5: ("negative_bundle_price", {}),
    7: ("odd_bundle_status", {"status": "arsip"}),
    9: ("duplicate_bundle_slug", {"status": "published"}),  # a deleted row claims no slug
}


def _plant_bundle_defect(gen: _Gen, kind: int, n: int, head: dict[str, Any]) -> None:
    """Bundle ``n`` gets the header defect of its ``kind`` (positions 1, 3, 5, 7, 9)."""
    if kind not in BUNDLE_DEFECTS:
        return
    name, changes = BUNDLE_DEFECTS[kind]
    head.update(changes)
    if kind == 5:
        head["price"] = -head["price"]
    if kind == 9:
        head["slug"] = f"paket-{n - 1}"
    gen.planted.plant(name)


async def bundles(
    conn: asyncpg.Connection,
    gen: _Gen,
    products: list[tuple[uuid.UUID, uuid.UUID | None]],
    categories: list[uuid.UUID],
) -> None:
    """Bundles of 2-3 products of one author; ``products`` are (id, author) pairs of the
    products the import keeps. Planted: ``bundle_author_derived`` (no author, products of one),
    ``bundle_without_author`` (no author, products of two), ``negative_bundle_price``,
    ``odd_bundle_status``, ``duplicate_bundle_slug``, ``duplicate_bundle_line``,
    ``bad_bundle_qty``."""
    by_author: dict[uuid.UUID, list[uuid.UUID]] = {}
    for product, author in products:
        if author is not None:
            by_author.setdefault(author, []).append(product)
    owners = sorted(a for a, owned in by_author.items() if len(owned) >= 3)
    heads, lines, links = [], [], []
    for n in range(len(owners) * 2):
        bundle, owner = gen.uid(), owners[n % len(owners)]
        items = by_author[owner][n // len(owners) :][:3]
        kind = n % 10
        head = {"slug": f"paket-{n}", "price": gen.rng.randrange(20, 90) * 1000}
        head |= {"status": BUNDLE_STATUSES[n % 4], "author": owner}
        if kind == 3:  # a product of another author: the owner cannot be derived
            items = [*items[:2], by_author[owners[(n + 1) % len(owners)]][0]]
        _plant_bundle_defect(gen, kind, n, head)
        slug, price, status, author = head["slug"], head["price"], head["status"], head["author"]
        heads.append((bundle, f"Paket {n}", slug, price, status, author, gen.moment()))
        lines += [(gen.uid(), bundle, item, 1) for item in items]
        if kind == 0:
            lines.append((gen.uid(), bundle, items[0], 1))
            gen.planted.plant("duplicate_bundle_line")
        elif kind == 2:
            lines[-1] = (*lines[-1][:3], 0)
            gen.planted.plant("bad_bundle_qty")
        links.append((gen.uid(), bundle, categories[n % len(categories)]))
    await conn.executemany(
        "INSERT INTO bundle (id, name, slug, real_price, status, id_author, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        heads,
    )
    await conn.executemany(
        "INSERT INTO bundle_product (id, id_bundle, id_product, qty) VALUES ($1, $2, $3, $4)",
        lines,
    )
    await conn.executemany(
        "INSERT INTO bundle_category (id, id_bundle, id_category) VALUES ($1, $2, $3)", links
    )
    gen.planted.rows.update(
        bundle=len(heads), bundle_product=len(lines), bundle_category=len(links)
    )
