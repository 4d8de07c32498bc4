"""The audit trail for management and IT: read-only, newest first, filterable."""

from __future__ import annotations

from sqlalchemy import func, select

from esensi.api.internal.schemas import AuditListQuery, AuditRead
from esensi.models.audit import AuditLog
from rlib import Ctx, Page, define_api

AUDITORS = ("internal:management", "internal:it")  # spec/endpoints.md §5


@define_api(name="audit_list", url="/audit/list", methods=("GET", "POST"), auth=AUDITORS)
async def audit_list(ctx: Ctx, payload: AuditListQuery) -> Page[AuditRead]:
    """Audit rows, newest first, optionally of one entity, entity id, action or actor."""
    filters = {
        AuditLog.entity: payload.entity,
        AuditLog.entity_id: payload.entity_id,
        AuditLog.action: payload.action,
        AuditLog.id_user: payload.id_user,
    }
    where = [column == value for column, value in filters.items() if value is not None]
    total = await ctx.db.scalar(select(func.count()).select_from(AuditLog).where(*where))
    rows = await ctx.db.scalars(
        select(AuditLog)
        .where(*where)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .offset((payload.page - 1) * payload.limit)
        .limit(payload.limit)
    )
    items = [AuditRead.model_validate(row) for row in rows]
    return Page(items=items, page=payload.page, limit=payload.limit, total=total or 0)
