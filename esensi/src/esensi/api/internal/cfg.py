"""Key/value configuration managed by staff (pages, footer, header, minimums).

it and management keep every entry; sales_and_marketing edit the store's public pages only
(spec/endpoints.md §5): they see, change and delete the ``page.*`` entries, other keys answer
"not found" to them, and creating another key is refused (403).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from esensi.api.internal.audited import audited
from esensi.api.internal.schemas import CfgCreate, CfgUpdate
from esensi.models.cms import Cfg
from rlib import AuthorizationError, Ctx
from rlib.auth.users import SessionUser
from rlib.crud import UNSCOPED, crud_handler, op

PAGE_PREFIX = "page."
KEEPERS = ("internal:it", "internal:management")  # every entry
PAGE_EDITORS = ("internal:sales_and_marketing",)  # the page.* entries


def _keeps_everything(ctx: Ctx) -> bool:
    user = ctx.user
    return isinstance(user, SessionUser) and any(role in user.roles for role in KEEPERS)


async def _reachable_keys(ctx: Ctx) -> object:
    # The scope as a list of keys: the page entries are few, and the statement stays a plain IN.
    if _keeps_everything(ctx):
        return UNSCOPED
    found = await ctx.db.scalars(select(Cfg.key).where(Cfg.key.startswith(PAGE_PREFIX)))
    return list(found)


async def _page_keys_only(ctx: Ctx, data: dict[str, Any]) -> dict[str, Any]:
    if not _keeps_everything(ctx) and not str(data["key"]).startswith(PAGE_PREFIX):
        raise AuthorizationError()
    return data


cfg = crud_handler(
    Cfg,
    audited(
        "cfg",
        {
            "name": "cfg",
            "url": "/cfg",
            "resource": "resource.cfg",
            "auth": (*KEEPERS, *PAGE_EDITORS),
            "list": {
                "search_fields": ["key", "description"],
                "filters": {"is_public": op.eq},
                "order_by": ["key"],
                "sortable": ["key", "updated_at"],
            },
            "create": {"schema": CfgCreate, "before": _page_keys_only},
            "update": {"schema": CfgUpdate},
            # The key is chosen by the body (``choose``) and never stamped: a new page entry's key
            # is not among the existing ones the scope lists.
            "scope": {"field": "key", "value": _reachable_keys, "choose": True, "stamp": False},
        },
        key="key",
    ),
)
