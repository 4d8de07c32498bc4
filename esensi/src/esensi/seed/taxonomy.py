"""Demo taxonomy: the store's category tree and the chapter site's genres and tags."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from esensi.models.taxonomy import Category, Genre, Tags
from esensi.seed.clock import BASE
from esensi.seed.keys import seed_id
from esensi.seed.runner import insert_rows
from esensi.seed.words import slugify
from rlib import Scope

if TYPE_CHECKING:
    from esensi.seed.world import Seeding

# name -> children (three levels at most)
CATEGORIES: dict[str, dict[str, list[str]]] = {
    "Fiksi": {"Novel": ["Romansa", "Misteri", "Fantasi"], "Cerpen": []},
    "Nonfiksi": {"Bisnis": ["Kewirausahaan", "Keuangan"], "Pengembangan Diri": [], "Sejarah": []},
    "Anak": {"Dongeng": [], "Edukasi": []},
    "Agama": {"Islam": [], "Kristen": []},
}
GENRES: dict[str, dict[str, list[str]]] = {
    "Romansa": {"Romansa Sekolah": [], "Romansa Kantor": []},
    "Fantasi": {"Fantasi Timur": [], "Isekai": []},
    "Horor": {},
    "Misteri": {},
    "Aksi": {},
}
TAGS: dict[str, dict[str, list[str]]] = {
    name: {}
    for name in ("Slow Burn", "Enemies to Lovers", "Kerajaan", "Sihir", "Detektif", "Hantu")
}


Tree = dict[str, dict[str, list[str]]]
TREES: tuple[tuple[type[Category | Genre | Tags], Tree], ...] = (
    (Category, CATEGORIES),
    (Genre, GENRES),
    (Tags, TAGS),
)


def leaves(tree: Tree) -> list[str]:
    """The names that have no children: what books and products are filed under."""
    names = []
    for top, middle in tree.items():
        names += [top] if not middle else []
        for mid, bottom in middle.items():
            names += bottom or [mid]
    return names


def node_id(kind: str, name: str) -> uuid.UUID:
    """The id of the taxonomy node ``name`` of table ``kind`` (category, genre, tags)."""
    return seed_id(kind, name)


def _nodes(kind: str, tree: Tree) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []

    def add(name: str, parent: str | None, idx: int) -> None:
        nodes.append(
            {
                "id": node_id(kind, name),
                "name": name,
                "slug": slugify(name),
                "img": None,
                "idx": idx,
                "id_parent": node_id(kind, parent) if parent else None,
                "deleted_at": None,
                "created_at": BASE,
                "updated_at": BASE,
            }
        )

    for i, (top, middle) in enumerate(tree.items()):
        add(top, None, i)
        for j, (mid, bottom) in enumerate(middle.items()):
            add(mid, top, j)
            for k, leaf in enumerate(bottom):
                add(leaf, mid, k)
    return nodes


async def seed_taxonomy(scope: Scope, seeding: Seeding) -> int:
    """Categories, genres and tags (parents come before their children)."""
    added = 0
    for model, tree in TREES:
        added += await insert_rows(scope, model, _nodes(model.__tablename__, tree))
    return added
