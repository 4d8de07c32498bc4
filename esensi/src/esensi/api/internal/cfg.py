"""Key/value configuration managed by staff (pages, footer, header, minimums)."""

from __future__ import annotations

from esensi.api.internal.schemas import CfgCreate, CfgUpdate
from esensi.models.cms import Cfg
from rlib.crud import crud_handler, op

cfg = crud_handler(
    Cfg,
    {
        "name": "cfg",
        "url": "/cfg",
        "resource": "resource.cfg",
        "list": {
            "search_fields": ["key", "description"],
            "filters": {"is_public": op.eq},
            "order_by": ["key"],
            "sortable": ["key", "updated_at"],
        },
        "create": {"schema": CfgCreate},
        "update": {"schema": CfgUpdate},
    },
)
