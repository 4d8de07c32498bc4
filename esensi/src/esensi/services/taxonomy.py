"""Taxonomy trees (category, genre, tags): read in one query, shaped in memory."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from esensi.models.taxonomy import TaxonNode
from rlib import FieldError, Scope, ValidationError


@dataclass(slots=True)
class Node:
    """One node of a tree with its children, ordered by menu order then name."""

    id: uuid.UUID
    name: str
    slug: str
    img: str | None
    id_parent: uuid.UUID | None
    children: list[Node] = field(default_factory=list)


async def _live_nodes(scope: Scope, model: type[TaxonNode]) -> list[Node]:
    rows = await scope.db.execute(
        select(model.id, model.name, model.slug, model.img, model.id_parent)
        .where(model.deleted_at.is_(None))
        .order_by(model.idx, model.name, model.id)
    )
    return [Node(*row) for row in rows]


def _link(nodes: list[Node]) -> list[Node]:
    by_id = {node.id: node for node in nodes}
    roots: list[Node] = []
    for node in nodes:
        parent = by_id.get(node.id_parent) if node.id_parent else None
        (parent.children if parent else roots).append(node)
    return roots


def _prune(nodes: list[Node], depth: int) -> list[Node]:
    for node in nodes:
        node.children = _prune(node.children, depth - 1) if depth > 1 else []
    return nodes


async def tree(scope: Scope, model: type[TaxonNode], *, depth: int = 3) -> list[Node]:
    """The live tree of ``model`` down to ``depth`` levels, in one query.

    A node whose parent is soft-deleted is shown as a root, so nothing live disappears.
    """
    return _prune(_link(await _live_nodes(scope, model)), depth)


async def subtree_ids(scope: Scope, model: type[TaxonNode], slug: str) -> list[uuid.UUID] | None:
    """The id of the live node ``slug`` and of all its live descendants; None when unknown."""
    nodes = await _live_nodes(scope, model)
    start = next((node for node in nodes if node.slug == slug), None)
    if start is None:
        return None
    _link(nodes)
    found: list[uuid.UUID] = []
    stack = [start]
    while stack:
        node = stack.pop()
        found.append(node.id)
        stack.extend(node.children)
    return found


async def ensure_parent(
    scope: Scope, model: type[TaxonNode], *, node_id: object, parent_id: object
) -> None:
    """Refuse a parent that is missing, deleted, the node itself or one of its descendants (422)."""
    if parent_id is None:
        return
    nodes = {node.id: node for node in await _live_nodes(scope, model)}
    parent = nodes.get(parent_id)  # type: ignore[call-overload]  # ids are UUIDs
    if parent is None:
        raise ValidationError([FieldError(loc=("body", "id_parent"), key="error.db_foreign_key")])
    seen: set[object] = set()
    while parent is not None and parent.id not in seen:
        if parent.id == node_id:
            raise ValidationError([FieldError(loc=("body", "id_parent"), key="taxonomy.cycle")])
        seen.add(parent.id)
        parent = nodes.get(parent.id_parent) if parent.id_parent else None
