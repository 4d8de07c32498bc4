"""Key/value configuration managed by staff (pages, footer, header, minimums)."""

from __future__ import annotations

from esensi.api.internal.schemas import CfgCreate, CfgListQuery, CfgRead, CfgRef, CfgUpdate, Deleted
from esensi.services import config
from rlib import Ctx, Page, define_api


@define_api(name="cfg_list", url="/cfg/list", methods=("GET", "POST"))
async def cfg_list(ctx: Ctx, payload: CfgListQuery) -> Page[CfgRead]:
    """Config entries by key, searchable."""
    found = await config.list_entries(
        ctx, search=payload.search, page=payload.page, limit=payload.limit
    )
    items = [CfgRead.model_validate(row) for row in found.rows]
    return Page(items=items, page=payload.page, limit=payload.limit, total=found.total)


@define_api(name="cfg_get", url="/cfg/get", methods=("GET", "POST"))
async def cfg_get(ctx: Ctx, payload: CfgRef) -> CfgRead:
    """One config entry."""
    return CfgRead.model_validate(await config.get_entry(ctx, payload.key))


@define_api(name="cfg_create", url="/cfg/create")
async def cfg_create(ctx: Ctx, payload: CfgCreate) -> CfgRead:
    """Add a config entry (409 when the key exists)."""
    row = await config.create_entry(
        ctx,
        key=payload.key,
        value=payload.value,
        is_public=payload.is_public,
        description=payload.description,
    )
    return CfgRead.model_validate(row)


@define_api(name="cfg_update", url="/cfg/update")
async def cfg_update(ctx: Ctx, payload: CfgUpdate) -> CfgRead:
    """Change an entry; a stale ``version`` is a 409."""
    changes = payload.model_dump(exclude={"key", "version"}, exclude_unset=True)
    row = await config.update_entry(ctx, payload.key, version=payload.version, changes=changes)
    return CfgRead.model_validate(row)


@define_api(name="cfg_delete", url="/cfg/delete")
async def cfg_delete(ctx: Ctx, payload: CfgRef) -> Deleted:
    """Remove an entry."""
    await config.delete_entry(ctx, payload.key)
    return Deleted(deleted=1)
