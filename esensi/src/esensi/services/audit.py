"""The audit trail (``audit_log``): who changed what, written in the caller's transaction, so a
rolled-back change leaves no row and a committed one always has its row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert

from esensi.models.audit import AuditLog
from esensi.models.enums import ActorType
from rlib import Scope

PROFILE_LINK = "user.profile_link"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted: a login (None for machines), as which user type, and from where."""

    user_id: uuid.UUID | None
    type: ActorType
    ip: str | None = None
    request_id: str | None = None


SYSTEM = Actor(None, ActorType.SYSTEM)


async def record(
    scope: Scope,
    actor: Actor,
    *,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit row (``before``/``after`` must already have sensitive fields masked)."""
    row = AuditLog(
        id_user=actor.user_id,
        actor_type=actor.type.value,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
        ip=(actor.ip or "")[:45] or None,
        request_id=(actor.request_id or "")[:64] or None,
    )
    scope.db.add(row)
    await scope.db.flush()
    return row


async def profile_linked(
    scope: Scope,
    actor: Actor,
    *,
    profile_type: str,
    profile_id: uuid.UUID,
    user_id: uuid.UUID,
    previous: uuid.UUID | None = None,
) -> AuditLog:
    """``user.profile_link``: the ``profile_type`` profile now belongs to login ``user_id``."""
    return await record(
        scope,
        actor,
        action=PROFILE_LINK,
        entity=profile_type,
        entity_id=profile_id,
        before={"id_user": None if previous is None else str(previous)},
        after={"id_user": str(user_id)},
    )


async def record_many(
    scope: Scope,
    actor: Actor,
    *,
    action: str,
    entity: str,
    changes: Sequence[tuple[object, dict[str, Any] | None, dict[str, Any] | None]],
) -> None:
    """One audit row per ``(entity_id, before, after)``, in one multi-row INSERT."""
    if not changes:
        return
    rows = [
        {
            "id_user": actor.user_id,
            "actor_type": actor.type.value,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "before": before,
            "after": after,
            "ip": (actor.ip or "")[:45] or None,
            "request_id": (actor.request_id or "")[:64] or None,
        }
        for entity_id, before, after in changes
    ]
    await scope.db.execute(insert(AuditLog).values(rows))
