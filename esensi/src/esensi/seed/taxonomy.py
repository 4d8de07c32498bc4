"""Demo taxonomy: the store's category tree and the chapter site's genres and tags."""

from __future__ import annotations

from esensi.models.taxonomy import Category, Genre, Tags
from esensi.seed.keys import seed_id
from esensi.seed.runner import insert_missing
from rlib import Scope

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


def slugify(name: str) -> str:
    """``"Pengembangan Diri"`` -> ``"pengembangan-diri"``."""
    return "-".join("".join(ch for ch in word if ch.isalnum()) for word in name.lower().split())


def _nodes(
    model: type[Category | Genre | Tags], tree: dict[str, dict[str, list[str]]]
) -> list[Category | Genre | Tags]:
    kind = model.__tablename__
    nodes: list[Category | Genre | Tags] = []

    def add(name: str, parent: str | None, idx: int) -> None:
        nodes.append(
            model(
                id=seed_id(kind, name),
                name=name,
                slug=slugify(name),
                idx=idx,
                id_parent=seed_id(kind, parent) if parent else None,
            )
        )

    for i, (top, middle) in enumerate(tree.items()):
        add(top, None, i)
        for j, (mid, leaves) in enumerate(middle.items()):
            add(mid, top, j)
            for k, leaf in enumerate(leaves):
                add(leaf, mid, k)
    return nodes


async def seed_taxonomy(scope: Scope, scale: int) -> int:
    """Categories, genres and tags (parents are inserted before their children)."""
    added = 0
    for model, tree in ((Category, CATEGORIES), (Genre, GENRES), (Tags, TAGS)):
        added += await insert_missing(scope, _nodes(model, tree))
    return added
