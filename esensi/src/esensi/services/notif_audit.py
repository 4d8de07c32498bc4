"""Audit rows of staff changes to users' notifications: one row per notification, written in
the change's transaction with one statement whatever the number of rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert

from esensi.models.audit import AuditLog
from esensi.services.audit import Actor
from rlib import Scope

ENTITY = "notif"
KEPT = ("id_user", "type", "status")  # what a deleted notification's row remembers


async def record_changes(
    scope: Scope,
    actor: Actor,
    action: str,
    changes: Sequence[tuple[Mapping[str, Any], Mapping[str, Any] | None]],
) -> None:
    """One ``action`` row per (notification before, after) pair; ``after`` None: deleted."""
    if not changes:
        return
    rows = [
        {
            "id_user": actor.user_id,
            "actor_type": actor.type.value,
            "action": action,
            "entity": ENTITY,
            "entity_id": str(before["id"]),
            "before": _kept(before),
            "after": None if after is None else _kept(after),
            "ip": (actor.ip or "")[:45] or None,
            "request_id": (actor.request_id or "")[:64] or None,
        }
        for before, after in changes
    ]
    await scope.db.execute(insert(AuditLog), rows)


def _kept(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: str(row[key]) if key == "id_user" else row[key] for key in KEPT if key in row}
